-- Two things the controller flags on a host (fleet/HostFlags), written only when they change:
-- history_gap: reports the agent saw acknowledged that the database no longer holds (restored or damaged);
-- clock_skew_ms: the agent's clock minus the controller's, when off by more than a minute; 0 otherwise.
ALTER TABLE hosts ADD COLUMN history_gap BIGINT NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN clock_skew_ms BIGINT NOT NULL DEFAULT 0;
