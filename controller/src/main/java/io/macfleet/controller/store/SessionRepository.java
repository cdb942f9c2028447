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

/**
 * Which controller holds each agent's stream, shared through the database so that work started on one
 * controller reaches an agent connected to another; and the claim that makes each run go out exactly once.
 */
public final class SessionRepository {
  private final DataSource ds;

  public SessionRepository(Database db) {
    this.ds = db.dataSource();
  }

  public record Holder(String instance, OffsetDateTime at) {}

  public record Pending(String runId, String hostId, byte[] spec) {}

  public void connected(String hostId, String instance, OffsetDateTime at) {
    update(
        "UPDATE hosts SET connected_to = ?, connected_at = ? WHERE id = ?", instance, at, hostId);
  }

  /** Only the controller that holds the stream clears it (the agent may already be on another). */
  public void disconnected(String hostId, String instance) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE hosts SET connected_to = NULL, connected_at = NULL WHERE id = ? AND connected_to = ?")) {
      ps.setString(1, hostId);
      ps.setString(2, instance);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("recording a disconnect", e);
    }
  }

  /**
   * Refreshes this controller's claim on the streams it holds: one row for the controller, however many streams
   * (host rows are the report writer's; touching thousands of them at once deadlocked with it).
   */
  public void heartbeat(String instance, OffsetDateTime at) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE controller_heartbeats SET at = ? WHERE instance = ?")) {
      ps.setObject(1, at);
      ps.setString(2, instance);
      if (ps.executeUpdate() == 0) {
        try (PreparedStatement ins =
            c.prepareStatement("INSERT INTO controller_heartbeats (instance, at) VALUES (?, ?)")) {
          ins.setString(1, instance);
          ins.setObject(2, at);
          ins.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("refreshing stream holders", e);
    }
  }

  /** At start: streams this instance id held in a previous life are gone. */
  public void forget(String instance) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE hosts SET connected_to = NULL, connected_at = NULL WHERE connected_to = ?")) {
      ps.setString(1, instance);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("clearing stream holders", e);
    }
  }

  /** Who holds a host's stream, and when that was last known true (the later of connect and heartbeat). */
  public Optional<Holder> holder(String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT h.connected_to, CASE WHEN b.at IS NULL OR h.connected_at > b.at THEN h.connected_at ELSE b.at END "
                + "FROM hosts h LEFT JOIN controller_heartbeats b ON b.instance = h.connected_to "
                + "WHERE h.id = ? AND h.connected_to IS NOT NULL")) {
      ps.setString(1, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Holder(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("reading the stream holder of " + hostId, e);
    }
  }

  /** Takes a requested run for this controller to push; false when another controller already did. */
  public boolean claim(String runId, String instance) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE runs SET dispatched_by "
            + "= ? WHERE id = ? AND dispatched_by IS NULL AND status = 'requested'")) {
      ps.setString(1, instance);
      ps.setString(2, runId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("claiming run " + runId, e);
    }
  }

  public void release(String runId, String instance) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE runs SET dispatched_by = NULL WHERE id = ? AND dispatched_by = ? AND status = 'requested'")) {
      ps.setString(1, runId);
      ps.setString(2, instance);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("releasing run " + runId, e);
    }
  }

  /** Leaves a "report now" for whichever controller holds the host's stream. */
  public void requestRefresh(String hostId, OffsetDateTime at) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE hosts SET refresh_requested_at = ? WHERE id = ?")) {
      ps.setObject(1, at);
      ps.setString(2, hostId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("requesting a report from " + hostId, e);
    }
  }

  /** Hosts whose streams this controller holds and that someone asked to report now. */
  public List<String> refreshes(String instance) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT id FROM hosts WHERE connected_to = ? AND refresh_requested_at IS NOT NULL")) {
      ps.setString(1, instance);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading report requests", e);
    }
  }

  /** Takes (clears) a host's report request; false when another controller took it first. */
  public boolean takeRefresh(String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE hosts SET refresh_requested_at = NULL WHERE id = ? AND refresh_requested_at IS NOT NULL")) {
      ps.setString(1, hostId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("taking the report request of " + hostId, e);
    }
  }

  /** Requested runs nobody has pushed yet, for hosts whose streams this controller holds. */
  public List<Pending> pending(String instance) {
    List<Pending> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT r.id, r.host_id, r.spec "
            + "FROM runs r JOIN hosts h ON h.id = r.host_id WHERE r.status = 'requested' AND r.dispatched_by IS NULL "
            + "AND h.connected_to = ? ORDER BY r.requested_at")) {
      ps.setString(1, instance);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Pending(rs.getString(1), rs.getString(2), rs.getBytes(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading pending runs", e);
    }
  }

  private void update(String sql, String instance, OffsetDateTime at, String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, instance);
      ps.setObject(2, at);
      ps.setString(3, hostId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("recording a connection", e);
    }
  }
}
