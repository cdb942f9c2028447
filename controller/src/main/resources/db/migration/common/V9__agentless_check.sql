-- The newest agentless check (macfleet ssh check) per host: what `macfleet hosts` shows beside a silent agent.
ALTER TABLE hosts ADD COLUMN agentless_state   VARCHAR(24);
ALTER TABLE hosts ADD COLUMN agentless_summary VARCHAR(512);
ALTER TABLE hosts ADD COLUMN agentless_at      TIMESTAMP WITH TIME ZONE;
