package io.macfleet.controller.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Copies a fleet database into another (an H2 file into PostgreSQL), table by table in foreign-key order, in one
 * transaction on the target, then proves it: the row count and a digest of every table must match on both
 * sides. The digest is over the sorted hashes of the rows' values, so the two databases' collations and row
 * orders do not matter; timestamps compare as instants.
 */
public final class DatabaseCopy {
  /** Parents before children; Quartz's tables last. Every table the migrations create. */
  public static final List<String> TABLES = List.of(
      "settings",
      "hosts",
      "host_progress",
      "host_labels",
      "host_models",
      "reports",
      "events",
      "client_observations",
      "runs",
      "run_levels",
      "samples",
      "telemetry_points",
      "verdicts",
      "audit",
      "rollbacks",
      "controller_heartbeats",
      "qrtz_job_details",
      "qrtz_triggers",
      "qrtz_simple_triggers",
      "qrtz_cron_triggers",
      "qrtz_simprop_triggers",
      "qrtz_blob_triggers",
      "qrtz_calendars",
      "qrtz_paused_trigger_grps",
      "qrtz_fired_triggers",
      "qrtz_scheduler_state",
      "qrtz_locks");
  /** Tables the migrations themselves fill (id counters): the target's rows are replaced by the source's. */
  public static final List<String> SEEDED_TABLES = List.of("id_blocks");

  private static final List<String> IDENTITY_TABLES =
      List.of("events", "client_observations", "verdicts", "audit");

  public record TableCheck(
      String table, long sourceRows, long targetRows, String sourceDigest, String targetDigest) {
    public boolean matches() {
      return sourceRows == targetRows && sourceDigest.equals(targetDigest);
    }
  }

  private DatabaseCopy() {}

  public static List<TableCheck> copy(Database from, Database to, Consumer<String> progress) {
    try (Connection src = from.dataSource().getConnection();
        Connection dst = to.dataSource().getConnection()) {
      for (String t : TABLES) {
        if (count(dst, t) > 0) {
          throw new IllegalStateException("the target database is not empty (" + t
              + " has rows); migrate into a " + "fresh database");
        }
      }
      dst.setAutoCommit(false);
      try {
        for (String t : TABLES) {
          long n = copyTable(src, dst, t);
          progress.accept(String.format(Locale.ROOT, "copied %-26s %,d rows", t, n));
        }
        for (String t : SEEDED_TABLES) {
          try (Statement st = dst.createStatement()) {
            st.executeUpdate("DELETE FROM " + t);
          }
          long n = copyTable(src, dst, t);
          progress.accept(String.format(Locale.ROOT, "copied %-26s %,d rows", t, n));
        }
        if (to.dialect().name().equals("postgresql")) {
          for (String t :
              IDENTITY_TABLES) { // explicit ids were inserted: move each sequence past them
            try (Statement st = dst.createStatement()) {
              st.execute("SELECT setval(pg_get_serial_sequence('" + t
                  + "', 'id'), COALESCE((SELECT MAX(id) FROM " + t + "), 0) + 1, false)");
            }
          }
        }
        dst.commit();
      } catch (SQLException | RuntimeException e) {
        dst.rollback();
        throw e;
      }
      List<TableCheck> checks = new ArrayList<>();
      for (String t : java.util.stream.Stream.concat(TABLES.stream(), SEEDED_TABLES.stream())
          .toList()) {
        Digest a = digest(src, t);
        Digest b = digest(dst, t);
        checks.add(new TableCheck(t, a.rows, b.rows, a.hex, b.hex));
      }
      return checks;
    } catch (SQLException e) {
      throw new StoreException("copying the database", e);
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long copyTable(Connection src, Connection dst, String table) throws SQLException {
    long n = 0;
    try (Statement st = src.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      int cols = md.getColumnCount();
      StringBuilder names = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      for (int i = 1; i <= cols; i++) {
        names.append(i > 1 ? ", " : "").append(md.getColumnName(i).toLowerCase(Locale.ROOT));
        marks.append(i > 1 ? ", ?" : "?");
      }
      try (PreparedStatement ins = dst.prepareStatement(
          "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
        while (rs.next()) {
          for (int i = 1; i <= cols; i++) {
            Object v = rs.getObject(i);
            if (v instanceof Clob c) {
              v = c.getSubString(1, (int) c.length());
            } else if (v instanceof java.sql.Blob b) {
              v = b.getBytes(1, (int) b.length());
            }
            if (v instanceof byte[] bytes) {
              ins.setBytes(i, bytes);
            } else {
              ins.setObject(i, v);
            }
          }
          ins.addBatch();
          if (++n % 1000 == 0) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
    }
    return n;
  }

  private record Digest(long rows, String hex) {}

  private static Digest digest(Connection c, String table) throws SQLException {
    List<String> rowHashes = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnName(i).toLowerCase(Locale.ROOT));
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        order.add(i);
      }
      order.sort((x, y) ->
          names.get(x).compareTo(names.get(y))); // same column order whatever the table layout
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i : order) {
          row.append(names.get(i)).append('=').append(canonical(rs, i + 1)).append('\u001f');
        }
        rowHashes.add(sha256(row.toString()));
      }
    }
    rowHashes.sort(null);
    return new Digest(rowHashes.size(), sha256(String.join("\n", rowHashes)));
  }

  private static String canonical(ResultSet rs, int i) throws SQLException {
    Object v = rs.getObject(i);
    if (v == null) {
      return "\u0000";
    }
    if (v instanceof Clob c) {
      return c.getSubString(1, (int) c.length());
    }
    if (v instanceof java.sql.Blob b) {
      return HexFormat.of().formatHex(b.getBytes(1, (int) b.length()));
    }
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof Number n
        && !(v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal)) {
      return Long.toString(n.longValue());
    }
    if (v instanceof Double || v instanceof Float) {
      return Double.toString(((Number) v).doubleValue());
    }
    return v.toString();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
