package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Verdicts as judged, newest last; a run re-judged after its control replay gets a newer row, never an edit. */
public final class VerdictRepository {
  private final DataSource ds;

  public VerdictRepository(Database db) {
    this.ds = db.dataSource();
  }

  public record Row(
      long id,
      String hostId,
      String runId,
      String model,
      int concurrency,
      String verdict,
      OffsetDateTime judgedAt,
      String body) {}

  public void insert(
      String hostId,
      String runId,
      String model,
      int concurrency,
      String verdict,
      String body,
      OffsetDateTime at) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO verdicts "
                + "(host_id, run_id, model, concurrency, verdict, judged_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, hostId);
      ps.setString(2, runId);
      ps.setString(3, model);
      ps.setInt(4, concurrency);
      ps.setString(5, verdict);
      ps.setObject(6, at);
      ps.setString(7, body);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("storing a verdict for run " + runId, e);
    }
  }

  /** The newest verdict of each run and level judged since a time, newest first. */
  public List<Row> latest(OffsetDateTime since, String hostId, String model, int limit) {
    String sql = "SELECT * FROM verdicts v WHERE v.judged_at >= ?"
        + (hostId == null ? "" : " AND v.host_id = ?")
        + (model == null ? "" : " AND v.model = ?")
        + " AND v.id = (SELECT MAX(w.id) FROM verdicts w WHERE "
        + "w.run_id = v.run_id AND w.concurrency = v.concurrency) ORDER BY v.id DESC LIMIT ?";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setObject(i++, since);
      if (hostId != null) {
        ps.setString(i++, hostId);
      }
      if (model != null) {
        ps.setString(i++, model);
      }
      ps.setInt(i, limit);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(
              rs.getLong("id"),
              rs.getString("host_id"),
              rs.getString("run_id"),
              rs.getString("model"),
              rs.getInt("concurrency"),
              rs.getString("verdict"),
              rs.getObject("judged_at", OffsetDateTime.class),
              rs.getString("body")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("listing verdicts", e);
    }
  }

  /** The newest verdict kind for a host and model at any level, to size the next scheduled probe. */
  public Optional<String> newestKind(String hostId, String model) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT verdict FROM verdicts WHERE host_id = ? AND model = ? ORDER BY id DESC LIMIT 1")) {
      ps.setString(1, hostId);
      ps.setString(2, model);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("reading verdicts", e);
    }
  }

  /**
   * How many host × model × level series judged since a time have each kind as their newest verdict: what the
   * fleet looks like now, for the metrics (a regression fixed by a newer clean run no longer counts).
   */
  /** Hosts with a host x model x level series whose newest verdict since then is of this kind. */
  public long hostsWithNewest(String kind, OffsetDateTime since) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(DISTINCT v.host_id) FROM verdicts v JOIN "
                + "(SELECT MAX(id) AS id FROM verdicts WHERE judged_at >= ? "
                + "GROUP BY host_id, model, concurrency) n ON v.id = n.id WHERE v.verdict = ?")) {
      ps.setObject(1, since);
      ps.setString(2, kind);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("reading verdicts", e);
    }
  }

  public java.util.Map<String, Long> newestKinds(OffsetDateTime since) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT v.verdict, COUNT(*) FROM verdicts v JOIN "
            + "(SELECT MAX(id) AS id FROM verdicts WHERE judged_at >= ? "
            + "GROUP BY host_id, model, concurrency) n ON v.id = n.id GROUP BY v.verdict")) {
      ps.setObject(1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("reading verdicts", e);
    }
    return out;
  }
}
