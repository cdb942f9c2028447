-- Probe runs pushed to agents, and their per-concurrency results.
CREATE TABLE runs (
  id            VARCHAR(36)  NOT NULL PRIMARY KEY,
  host_id       VARCHAR(36)  NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  model         VARCHAR(255) NOT NULL,
  purpose       VARCHAR(32)  NOT NULL,
  status        VARCHAR(16)  NOT NULL,   -- requested, running, done, failed, missed, incomplete
  reason        VARCHAR(1024) NOT NULL DEFAULT '',
  requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE,
  finished_at   TIMESTAMP WITH TIME ZONE,
  spec          BYTEA NOT NULL,
  ttft_p95_ratio DOUBLE PRECISION,
  result_json   TEXT
);
CREATE INDEX runs_host_requested ON runs (host_id, requested_at);
CREATE INDEX runs_status ON runs (status);

CREATE TABLE run_levels (
  run_id       VARCHAR(36) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  concurrency  INT NOT NULL,
  samples      INT NOT NULL,
  errors       INT NOT NULL,
  ttft_p50_ms  DOUBLE PRECISION,
  ttft_p95_ms  DOUBLE PRECISION,
  ttft_p99_ms  DOUBLE PRECISION,
  prefill_p50_tps DOUBLE PRECISION,
  decode_p50_tps  DOUBLE PRECISION,
  PRIMARY KEY (run_id, concurrency)
);
