-- Facts about this fleet database itself, e.g. the scheduler name under which Quartz keeps its schedules.
CREATE TABLE settings (
  k VARCHAR(64)  NOT NULL PRIMARY KEY,
  v VARCHAR(255) NOT NULL
);
