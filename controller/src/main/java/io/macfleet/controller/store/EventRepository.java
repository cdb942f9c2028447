package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reading the events derived from reports (they are written with the reports, in the same transaction). */
public final class EventRepository {
  private final DataSource ds;

  public EventRepository(Database db) {
    this.ds = db.dataSource();
  }

  /** Newest last; hostId null for the whole fleet. */
  /** An event the controller itself observed (not derived from a report: report_seq 0). */
  public void add(
      String hostId, OffsetDateTime at, String kind, String from, String to, String detail) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO events (host_id, "
            + "at, kind, from_value, to_value, detail, report_seq) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
      ps.setString(1, hostId);
      ps.setObject(2, at);
      ps.setString(3, kind);
      ps.setString(4, ReportRepository.cut(from, 128));
      ps.setString(5, ReportRepository.cut(to, 128));
      ps.setString(6, ReportRepository.cut(detail, 512));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("storing a " + kind + " event", e);
    }
  }

  public List<EventRow> list(String hostId, OffsetDateTime since, int limit) {
    String sql =
        "SELECT e.id, e.host_id, h.name, e.at, e.kind, e.from_value, e.to_value, e.detail, e.report_seq "
            + "FROM events e JOIN hosts h ON h.id = e.host_id WHERE e.at >= ?"
            + (hostId == null ? "" : " AND e.host_id = ?")
            + " ORDER BY e.at DESC, e.id DESC LIMIT ?";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setObject(i++, since);
      if (hostId != null) {
        ps.setString(i++, hostId);
      }
      ps.setInt(i, limit);
      List<EventRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new EventRow(
              rs.getLong(1),
              rs.getString(2),
              rs.getString(3),
              rs.getObject(4, OffsetDateTime.class),
              rs.getString(5),
              rs.getString(6),
              rs.getString(7),
              rs.getString(8),
              rs.getLong(9)));
        }
      }
      java.util.Collections.reverse(out);
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading events", e);
    }
  }
}
