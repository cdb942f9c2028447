package io.macfleet.controller.store;

/** PostgreSQL, for fleets that outgrow one machine: several controllers share it, Quartz clusters on it. */
public final class PostgresDialect implements Dialect {
  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String upsertLabel() {
    return "INSERT INTO host_labels (host_id, k, v) VALUES (?, ?, ?) ON CONFLICT (host_id, k) DO UPDATE SET v = "
        + "EXCLUDED.v";
  }

  /** Lets the driver send a batch of inserts as multi-row INSERTs: one statement instead of hundreds per commit. */
  @Override
  public java.util.Map<String, String> connectionProperties() {
    return java.util.Map.of("reWriteBatchedInserts", "true");
  }

  @Override
  public String quartzDelegate() {
    return "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public boolean plansGroupedJoins() {
    return true;
  }
}
