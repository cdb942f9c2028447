-- Several controllers, one fleet: which controller holds each agent's stream (refreshed every few seconds), and
-- which controller pushed each run to its agent, so a run started anywhere reaches the agent wherever it is.
ALTER TABLE hosts ADD COLUMN connected_to VARCHAR(200);
ALTER TABLE hosts ADD COLUMN connected_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE runs ADD COLUMN dispatched_by VARCHAR(200);
CREATE INDEX runs_pending ON runs (status, dispatched_by);
