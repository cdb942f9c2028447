package io.macfleet.controller.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * The database's size in bytes, for the metrics: the embedded file's length on H2 (what the disk holds, before
 * compaction reclaims deleted rows), pg_database_size on PostgreSQL. Read at most every 30 s, so a scrape storm
 * does not query the database; NaN while it cannot be read.
 */
public final class DatabaseSize implements Supplier<Number> {
  private static final long TTL_NANOS = 30_000_000_000L;
  private final Database db;
  private final Path h2File; // null on PostgreSQL
  private double value = Double.NaN;
  private long at = Long.MIN_VALUE;

  public DatabaseSize(Database db, Path h2File) {
    this.db = db;
    this.h2File = h2File;
  }

  @Override
  public synchronized Number get() {
    long now = System.nanoTime();
    if (at == Long.MIN_VALUE || now - at > TTL_NANOS) {
      value = read();
      at = now;
    }
    return value;
  }

  private double read() {
    try {
      if (h2File != null) {
        return Files.size(h2File);
      }
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
        return rs.next() ? rs.getLong(1) : Double.NaN;
      }
    } catch (java.io.IOException | java.sql.SQLException | RuntimeException e) {
      return Double.NaN; // /readyz reports a failing database
    }
  }
}
