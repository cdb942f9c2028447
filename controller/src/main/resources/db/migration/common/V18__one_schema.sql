-- Until V18 each database had its own copy of every migration. H2's gave its binary columns a size
-- (VARBINARY(4194304), VARBINARY(65536)) and its long texts the CLOB type, where PostgreSQL's had BYTEA and TEXT.
-- The copies are one set now, with BYTEA and TEXT in both; this gives a database made by the old H2 copies the
-- same types (H2 stores TEXT as a VARCHAR in the row rather than as a separate large object). On PostgreSQL, and on
-- any database made since, the columns have these types already and nothing changes. The controller bounds what
-- goes in (--max-report-size).
ALTER TABLE reports ALTER COLUMN snapshot SET DATA TYPE BYTEA;
ALTER TABLE runs ALTER COLUMN spec SET DATA TYPE BYTEA;
ALTER TABLE runs ALTER COLUMN result_json SET DATA TYPE TEXT;
ALTER TABLE verdicts ALTER COLUMN body SET DATA TYPE TEXT;
ALTER TABLE rollbacks ALTER COLUMN steps_json SET DATA TYPE TEXT;
