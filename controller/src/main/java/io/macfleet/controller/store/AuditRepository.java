package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The audit log. Append and read, nothing else: there is deliberately no update or delete here or anywhere
 * (AuditAppendOnlyTest checks the sources), so a row once written stays as written.
 */
public final class AuditRepository {
  private final DataSource ds;

  public AuditRepository(Database db) {
    this.ds = db.dataSource();
  }

  public record Entry(
      long id,
      OffsetDateTime at,
      String actor,
      String action,
      String host,
      String detail,
      int exitCode,
      String outputSha256) {}

  public void append(
      OffsetDateTime at,
      String actor,
      String action,
      String host,
      String detail,
      int exitCode,
      String outputSha256) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO audit (at, actor, "
            + "action, host, detail, exit_code, output_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, at);
      ps.setString(2, cut(actor, 200));
      ps.setString(3, cut(action, 64));
      ps.setString(4, host == null ? null : cut(host, 128));
      ps.setString(5, cut(detail, 2000));
      ps.setInt(6, exitCode);
      ps.setString(7, outputSha256);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("writing the audit log", e);
    }
  }

  public List<Entry> list(OffsetDateTime since, String host, int limit) {
    String sql = "SELECT * FROM audit WHERE at >= ?" + (host == null ? "" : " AND host = ?")
        + " ORDER BY id DESC LIMIT ?";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setObject(i++, since);
      if (host != null) {
        ps.setString(i++, host);
      }
      ps.setInt(i, limit);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(
              rs.getLong("id"),
              rs.getObject("at", OffsetDateTime.class),
              rs.getString("actor"),
              rs.getString("action"),
              rs.getString("host"),
              rs.getString("detail"),
              rs.getInt("exit_code"),
              rs.getString("output_sha256")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading the audit log", e);
    }
  }

  private static String cut(String s, int max) {
    return s == null ? "" : s.length() > max ? s.substring(0, max) : s;
  }
}
