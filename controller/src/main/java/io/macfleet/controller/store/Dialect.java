package io.macfleet.controller.store;

/**
 * What differs between databases. Repositories use portable SQL and ask the dialect only for the
 * few statements that cannot be written once (upserts). Migrations are one set (db/migration/common) except
 * where the SQL must differ (Quartz's tables, in db/migration/NAME).
 */
public interface Dialect {
  String name();

  /** Flyway locations of this dialect's migrations: the shared set and its own. */
  default String[] migrations() {
    return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + name()};
  }

  /** Insert or replace a label: parameters host_id, k, v. */
  String upsertLabel();

  /** Driver properties every connection gets (performance switches; never credentials). */
  default java.util.Map<String, String> connectionProperties() {
    return java.util.Map.of();
  }

  /** Quartz's JDBC delegate for this database. */
  default String quartzDelegate() {
    return "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
  }

  /**
   * Whether the planner can be given a join on a grouped derived table. PostgreSQL's plans it well; H2's sometimes
   * drives it from the big table and runs the grouped subquery again for every row, so such a query is done in
   * two steps there (see RunRepository.newestDonePerHost).
   */
  default boolean plansGroupedJoins() {
    return false;
  }

  /** Whether controllers share this database (Quartz then runs clustered: each firing happens once fleet-wide). */
  default boolean clustered() {
    return false;
  }

  static Dialect forJdbcUrl(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return new H2Dialect();
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresDialect();
    }
    throw new IllegalArgumentException(
        "unsupported database URL (supported: jdbc:h2:…, jdbc:postgresql:…): "
            + url.replaceAll("password=[^;&]*", "password=***"));
  }
}
