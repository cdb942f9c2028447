-- A host's progress (epoch, last_seq, last_seen, newest report) moves with every report; its other facts change
-- rarely. On the wide hosts row every report rewrote the whole row: H2 serialized every string column of every
-- page a commit touched (at 10,000 hosts most of the report writer's time), PostgreSQL wrote a new version of the
-- whole row. Progress now has a narrow row of its own. The epoch is kept here too, so that the writer's guarded
-- update (epoch and last_seq as read) needs this row alone; re-enrollment changes both in one transaction.
CREATE TABLE host_progress (
  host_id        VARCHAR(36) NOT NULL PRIMARY KEY,
  epoch          INT         NOT NULL,
  last_seq       BIGINT      NOT NULL,
  last_seen      TIMESTAMP WITH TIME ZONE,
  last_report_id BIGINT
);
INSERT INTO host_progress (host_id, epoch, last_seq, last_seen, last_report_id)
  SELECT id, epoch, last_seq, last_seen, last_report_id FROM hosts;
ALTER TABLE hosts DROP COLUMN last_seen;
ALTER TABLE hosts DROP COLUMN last_seq;
ALTER TABLE hosts DROP COLUMN last_report_id;
