-- Hosts, their labels and models, and every report received.
CREATE TABLE hosts (
  id                VARCHAR(36)  NOT NULL PRIMARY KEY,
  name              VARCHAR(128) NOT NULL,
  hardware_uuid     VARCHAR(64)  NOT NULL DEFAULT '',
  node_key_hash     VARCHAR(64)  NOT NULL,
  epoch             INT          NOT NULL DEFAULT 1,
  enrolled_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at        TIMESTAMP WITH TIME ZONE,
  last_seen         TIMESTAMP WITH TIME ZONE,
  last_seq          BIGINT       NOT NULL DEFAULT 0,
  report_interval_s INT          NOT NULL DEFAULT 15,
  chip              VARCHAR(128) NOT NULL DEFAULT '',
  chip_generation   VARCHAR(16)  NOT NULL DEFAULT '',
  memory_bytes      BIGINT       NOT NULL DEFAULT 0,
  os_name           VARCHAR(64)  NOT NULL DEFAULT '',
  os_version        VARCHAR(32)  NOT NULL DEFAULT '',
  os_build          VARCHAR(32)  NOT NULL DEFAULT '',
  ollama_version    VARCHAR(64)  NOT NULL DEFAULT '',
  ollama_state      VARCHAR(16)  NOT NULL DEFAULT '',
  -- hash of the model list last written to host_models, so unchanged lists are not rewritten
  models_fp         VARCHAR(64)  NOT NULL DEFAULT '',
  CONSTRAINT hosts_name_unique UNIQUE (name)
);
CREATE INDEX hosts_node_key_hash ON hosts (node_key_hash);

CREATE TABLE host_labels (
  host_id VARCHAR(36)  NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  k       VARCHAR(63)  NOT NULL,
  v       VARCHAR(255) NOT NULL,
  PRIMARY KEY (host_id, k)
);

CREATE TABLE host_models (
  host_id      VARCHAR(36)  NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  digest       VARCHAR(64)  NOT NULL,
  size_bytes   BIGINT       NOT NULL,
  format       VARCHAR(32)  NOT NULL,
  quantization VARCHAR(32)  NOT NULL,
  family       VARCHAR(64)  NOT NULL,
  backend      VARCHAR(16)  NOT NULL,
  loaded       BOOLEAN      NOT NULL,
  PRIMARY KEY (host_id, name)
);
CREATE INDEX host_models_name ON host_models (name);

CREATE TABLE reports (
  host_id      VARCHAR(36) NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  epoch        INT         NOT NULL,
  seq          BIGINT      NOT NULL,
  received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  collected_at TIMESTAMP WITH TIME ZONE,
  reason       VARCHAR(16) NOT NULL,
  snapshot     BYTEA NOT NULL,
  PRIMARY KEY (host_id, epoch, seq)
);
