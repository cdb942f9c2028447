-- Reports become an append-only log. Their key was (host_id, epoch, seq): every insert landed on a random page of
-- that index, and at thousands of reports a second rewriting those pages was most of the cost of a commit. Now
-- a report's key is an id handed out in blocks by the controller (id_blocks), so inserts append; a duplicate is
-- still refused, by the update of hosts.last_seq guarded on the value read in the same transaction; hosts point
-- at their newest report (last_report_id). Hosts are never deleted (only revoked), so the foreign key goes too:
-- it would need a per-host index again.
CREATE TABLE report_log (
  id           BIGINT      NOT NULL PRIMARY KEY,
  host_id      VARCHAR(36) NOT NULL,
  epoch        INT         NOT NULL,
  seq          BIGINT      NOT NULL,
  received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  collected_at TIMESTAMP WITH TIME ZONE,
  reason       VARCHAR(16) NOT NULL,
  snapshot     BYTEA NOT NULL
);
INSERT INTO report_log (id, host_id, epoch, seq, received_at, collected_at, reason, snapshot)
  SELECT ROW_NUMBER() OVER (ORDER BY received_at, host_id, epoch, seq), host_id, epoch, seq, received_at,
    collected_at, reason, snapshot FROM reports;
DROP TABLE reports;
ALTER TABLE report_log RENAME TO reports;

CREATE TABLE id_blocks (
  name    VARCHAR(32) NOT NULL PRIMARY KEY,
  next_id BIGINT      NOT NULL
);
INSERT INTO id_blocks (name, next_id) SELECT 'reports', COALESCE(MAX(id), 0) + 1 FROM reports;

ALTER TABLE hosts ADD COLUMN last_report_id BIGINT;
UPDATE hosts SET last_report_id = (SELECT r.id FROM reports r WHERE r.host_id = hosts.id AND r.epoch = hosts.epoch
  AND r.seq = hosts.last_seq);
