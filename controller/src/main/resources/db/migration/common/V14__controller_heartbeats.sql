-- Several controllers: each one's liveness is one row here, refreshed every few seconds, instead of a
-- connected_at rewritten on every host row it holds. That rewrite touched thousands of host rows at once, in
-- whatever order the scan found them, and deadlocked with the report writer's updates of the same rows.
CREATE TABLE controller_heartbeats (
  instance VARCHAR(200) PRIMARY KEY,
  at       TIMESTAMP WITH TIME ZONE NOT NULL
);
