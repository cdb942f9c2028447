-- Rollback ladders run against hosts (macfleet rollback): the triple pinned before, the policy, the outcome.
CREATE TABLE rollbacks (
  id            VARCHAR(36)  NOT NULL PRIMARY KEY,
  host          VARCHAR(128) NOT NULL,
  model         VARCHAR(255) NOT NULL,
  policy        VARCHAR(16)  NOT NULL,
  actor         VARCHAR(200) NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  outcome       VARCHAR(32)  NOT NULL,
  ollama_version VARCHAR(64),
  digest_before VARCHAR(64),
  digest_after  VARCHAR(64),
  os_build      VARCHAR(32),
  probe_run     VARCHAR(128),
  verdict       VARCHAR(32),
  steps_json    TEXT NOT NULL
);
CREATE INDEX rollbacks_host ON rollbacks (host, started_at);
