package io.macfleet.controller.store;

/**
 * What differs between databases. Repositories use portable SQL and ask the dialect only for the
 * few statements that cannot be written once (upserts); each dialect has its own migrations folder.
 */
public interface Dialect {
  String name();

  /** Flyway location holding this dialect's migrations. */
  default String migrations() {
    return "classpath:db/migration/" + name();
  }

  /** Insert or replace a label: parameters host_id, k, v. */
  String upsertLabel();

  static Dialect forJdbcUrl(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return new H2Dialect();
    }
    throw new IllegalArgumentException("unsupported database URL (supported: jdbc:h2:…): " + url.replaceAll("password=[^;&]*", "password=***"));
  }
}
