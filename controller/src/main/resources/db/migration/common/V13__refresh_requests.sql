-- `macfleet host NAME --refresh` on a controller that does not hold the agent's stream: the request waits here
-- until the controller that does takes it (and clears it) on its next tick.
ALTER TABLE hosts ADD COLUMN refresh_requested_at TIMESTAMP WITH TIME ZONE;
