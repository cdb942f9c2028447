package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Hosts, their enrollment credentials and labels. */
public final class HostRepository {
  // progress (last_seen, last_seq, newest report) has a narrow row of its own in host_progress: see
  // ReportRepository
  private static final String HOST_COLUMNS =
      "hosts.id, hosts.name, hosts.hardware_uuid, hosts.epoch, hosts.enrolled_at, "
          + "hosts.revoked_at, p.last_seen, COALESCE(p.last_seq, 0) AS last_seq, report_interval_s, chip, chip_generation, memory_bytes, os_name, os_version, os_build, "
          + "ollama_version, ollama_state, thermal_level, power_source, battery_percent, mobility, memory_pressure, "
          + "swap_used_bytes, last_sleep_s, last_wake_s, agentless_state, agentless_summary, agentless_at, history_gap, "
          + "clock_skew_ms";

  private final DataSource ds;
  private final Dialect dialect;

  public HostRepository(Database db) {
    this.ds = db.dataSource();
    this.dialect = db.dialect();
  }

  public Optional<HostCredential> findCredential(String nodeKeyHash) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT id, name, epoch, revoked_at FROM hosts WHERE node_key_hash = ?")) {
      ps.setString(1, nodeKeyHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new HostCredential(
            rs.getString(1),
            rs.getString(2),
            rs.getInt(3),
            rs.getObject(4, OffsetDateTime.class) != null));
      }
    } catch (SQLException e) {
      throw new StoreException("looking up a node key", e);
    }
  }

  /** Every current node key's host, by key hash: what the authenticator loads at startup. */
  public Map<String, HostCredential> currentCredentials() {
    Map<String, HostCredential> out = new HashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT node_key_hash, id, name, epoch FROM hosts WHERE revoked_at IS NULL AND node_key_hash IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(
            rs.getString(1),
            new HostCredential(rs.getString(2), rs.getString(3), rs.getInt(4), false));
      }
    } catch (SQLException e) {
      throw new StoreException("loading node keys", e);
    }
    return out;
  }

  /**
   * Hosts revoked or re-enrolled at or after a time (by any controller), with their epoch and whether they are
   * revoked now: another controller's cached keys and open streams for them must go.
   */
  public List<HostCredential> credentialsChangedSince(OffsetDateTime since) {
    List<HostCredential> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, name, epoch, revoked_at FROM hosts "
            + "WHERE revoked_at >= ? OR enrolled_at >= ?")) {
      ps.setObject(1, since);
      ps.setObject(2, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new HostCredential(
              rs.getString(1),
              rs.getString(2),
              rs.getInt(3),
              rs.getObject(4, OffsetDateTime.class) != null));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("looking up changed node keys", e);
    }
    return out;
  }

  /** Enrollment facts of a host by name, without its snapshot. */
  public Optional<HostRow> findByName(String name, boolean withSnapshot) {
    List<HostRow> rows = query("WHERE hosts.name = ?", name, withSnapshot);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public List<HostRow> listAll() {
    return query("", null, false);
  }

  /** The fleet's state for the metrics, by three grouped queries ({@link FleetCounts}). */
  public FleetCounts fleetCounts(java.time.OffsetDateTime clientsSince) {
    try (Connection c = ds.getConnection()) {
      return new FleetCounts(
          grouped(c, "thermal_level", FleetCounts.THERMAL),
          grouped(c, "ollama_state", FleetCounts.OLLAMA),
          driftedTags(c),
          count(
              c,
              "SELECT COUNT(DISTINCT m.host_id) FROM host_models m JOIN hosts h ON h.id = m.host_id "
                  + "WHERE h.revoked_at IS NULL AND m.name IN (" + DRIFTED_TAGS + ")"),
          count(
              c,
              "SELECT COUNT(DISTINCT o.host_id) FROM client_observations o JOIN hosts h ON h.id = "
                  + "o.host_id WHERE h.revoked_at IS NULL AND o.at >= ? AND (o.truncated_prompts + "
                  + "o.truncated_messages > 0 OR o.max_in_flight > 1 AND EXISTS (SELECT 1 FROM host_models m "
                  + "WHERE m.host_id = o.host_id AND m.backend = 'mlx'))",
              clientsSince));
    } catch (SQLException e) {
      throw new StoreException("counting the fleet", e);
    }
  }

  /** Enrolled hosts by a column's value; values outside {@code known} count as "unknown". */
  private static Map<String, Long> grouped(Connection c, String column, List<String> known)
      throws SQLException {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + column + ", COUNT(*) FROM hosts "
            + "WHERE revoked_at IS NULL GROUP BY " + column);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String v = rs.getString(1);
        out.merge(v != null && known.contains(v) ? v : "unknown", rs.getLong(2), Long::sum);
      }
    }
    return out;
  }

  /** Tags whose digest, or whose declared dtype where hosts declare one, differs across reporting hosts. */
  private static final String DRIFTED_TAGS = "SELECT m.name FROM host_models m "
      + "JOIN hosts h ON h.id = m.host_id JOIN host_progress p ON p.host_id = h.id "
      + "WHERE h.revoked_at IS NULL AND p.last_seen IS NOT NULL GROUP BY m.name "
      + "HAVING COUNT(DISTINCT m.digest) > 1 OR COUNT(DISTINCT NULLIF(m.declared_dtype, '')) > 1";

  private static long driftedTags(Connection c) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM (" + DRIFTED_TAGS + ") d");
  }

  private static long count(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Every host's last report time, interval and revocation, for counting hosts by status. Prometheus asks for
   * that every scrape; reading whole host rows with their labels and models took about a second of CPU at
   * 10,000 hosts, and the report writer felt it.
   */
  public List<HostLiveness> liveness() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT p.last_seen, h.report_interval_s, h.revoked_at "
                + "FROM hosts h LEFT JOIN host_progress p ON p.host_id = h.id");
        ResultSet rs = ps.executeQuery()) {
      List<HostLiveness> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new HostLiveness(
            rs.getObject(1, OffsetDateTime.class), rs.getInt(2), rs.getObject(3) != null));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading host liveness", e);
    }
  }

  public void insert(
      String id, String name, String hardwareUuid, String nodeKeyHash, OffsetDateTime at) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO hosts (id, name, hardware_uuid, node_key_hash, "
                  + "epoch, enrolled_at) VALUES (?, ?, ?, ?, 1, ?)");
          PreparedStatement progress = c.prepareStatement(
              "INSERT INTO host_progress (host_id, epoch, last_seq) " + "VALUES (?, 1, 0)")) {
        ps.setString(1, id);
        ps.setString(2, name);
        ps.setString(3, hardwareUuid);
        ps.setString(4, nodeKeyHash);
        ps.setObject(5, at);
        ps.executeUpdate();
        progress.setString(1, id);
        progress.executeUpdate();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("enrolling host " + name, e);
    }
  }

  /** Re-enrollment: a new key and epoch; sequence numbers start again. Returns the new epoch. */
  public int rekey(String id, String hardwareUuid, String nodeKeyHash, OffsetDateTime at) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      // progress first, then the host row: the report writer takes them in that order too (no
      // deadlock)
      try (PreparedStatement progress = c.prepareStatement(
              "UPDATE host_progress SET epoch = epoch + 1, last_seq = 0 " + "WHERE host_id = ?");
          PreparedStatement ps = c.prepareStatement(
              "UPDATE hosts SET node_key_hash = ?, hardware_uuid = ?, "
                  + "epoch = epoch + 1, enrolled_at = ?, rekey_approved_until = NULL WHERE id = ? AND revoked_at IS NULL");
          PreparedStatement q = c.prepareStatement("SELECT epoch FROM hosts WHERE id = ?")) {
        progress.setString(1, id);
        progress
            .executeUpdate(); // a host imported from a file has no progress yet: its first report
        // makes it
        ps.setString(1, nodeKeyHash);
        ps.setString(2, hardwareUuid);
        ps.setObject(3, at);
        ps.setString(4, id);
        if (ps.executeUpdate() != 1) {
          throw new IllegalStateException(
              "host " + id + " vanished or was revoked during re-enrollment");
        }
        q.setString(1, id);
        int epoch;
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          epoch = rs.getInt(1);
        }
        c.commit();
        return epoch;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("re-enrolling host " + id, e);
    }
  }

  /** Records the newest agentless check of a host. */
  public void setAgentless(String id, String state, String summary, OffsetDateTime at) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE hosts SET agentless_state = ?, agentless_summary = ?, agentless_at = ? WHERE id = ?")) {
      ps.setString(1, state);
      ps.setString(2, summary.length() > 512 ? summary.substring(0, 512) : summary);
      ps.setObject(3, at);
      ps.setString(4, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("recording the check of host " + id, e);
    }
  }

  public boolean revoke(String id, OffsetDateTime at) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE hosts SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      ps.setObject(1, at);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("revoking host " + id, e);
    }
  }

  public void setLabels(String id, Map<String, String> set, List<String> remove) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement up = c.prepareStatement(dialect.upsertLabel())) {
          for (var e : set.entrySet()) {
            up.setString(1, id);
            up.setString(2, e.getKey());
            up.setString(3, e.getValue());
            up.addBatch();
          }
          up.executeBatch();
        }
        try (PreparedStatement del =
            c.prepareStatement("DELETE FROM host_labels WHERE host_id = ? AND k = ?")) {
          for (String k : remove) {
            del.setString(1, id);
            del.setString(2, k);
            del.addBatch();
          }
          del.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("setting labels", e);
    }
  }

  private List<HostRow> query(String where, String param, boolean withSnapshot) {
    // the latest snapshot is the newest report's row; it is not copied into hosts
    String sql = "SELECT " + HOST_COLUMNS
        + (withSnapshot
            ? ", (SELECT r.snapshot FROM reports r WHERE r.id = " + "p.last_report_id) AS snapshot"
            : "")
        + " FROM hosts LEFT JOIN host_progress p ON p.host_id = hosts.id "
        + where
        + " ORDER BY hosts.name";
    try (Connection c = ds.getConnection()) {
      List<HostRow> base = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (param != null) {
          ps.setString(1, param);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            base.add(row(rs, withSnapshot ? rs.getBytes("snapshot") : null, Map.of(), List.of()));
          }
        }
      }
      if (base.isEmpty()) {
        return base;
      }
      Map<String, Map<String, String>> labels =
          labels(c, param == null ? null : base.get(0).id());
      Map<String, List<ModelRow>> models =
          models(c, param == null ? null : base.get(0).id());
      List<HostRow> out = new ArrayList<>(base.size());
      for (HostRow h : base) {
        out.add(new HostRow(
            h.id(),
            h.name(),
            h.hardwareUuid(),
            h.epoch(),
            h.enrolledAt(),
            h.revokedAt(),
            h.lastSeen(),
            h.lastSeq(),
            h.reportIntervalSeconds(),
            h.chip(),
            h.chipGeneration(),
            h.memoryBytes(),
            h.osName(),
            h.osVersion(),
            h.osBuild(),
            h.ollamaVersion(),
            h.ollamaState(),
            h.snapshot(),
            labels.getOrDefault(h.id(), Map.of()),
            models.getOrDefault(h.id(), List.of()),
            h.headline(),
            h.agentless(),
            h.flags()));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading hosts", e);
    }
  }

  private static HostRow row(
      ResultSet rs, byte[] snapshot, Map<String, String> labels, List<ModelRow> models)
      throws SQLException {
    return new HostRow(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("hardware_uuid"),
        rs.getInt("epoch"),
        rs.getObject("enrolled_at", OffsetDateTime.class),
        rs.getObject("revoked_at", OffsetDateTime.class),
        rs.getObject("last_seen", OffsetDateTime.class),
        rs.getLong("last_seq"),
        rs.getInt("report_interval_s"),
        rs.getString("chip"),
        rs.getString("chip_generation"),
        rs.getLong("memory_bytes"),
        rs.getString("os_name"),
        rs.getString("os_version"),
        rs.getString("os_build"),
        rs.getString("ollama_version"),
        rs.getString("ollama_state"),
        snapshot,
        labels,
        models,
        new Headline(
            rs.getString("thermal_level"),
            rs.getString("power_source"),
            (Integer) rs.getObject("battery_percent"),
            rs.getString("mobility"),
            rs.getString("memory_pressure"),
            (Long) rs.getObject("swap_used_bytes"),
            (Long) rs.getObject("last_sleep_s"),
            (Long) rs.getObject("last_wake_s"),
            "",
            rs.getString("ollama_version"),
            rs.getString("ollama_state")),
        rs.getString("agentless_state") == null
            ? null
            : new HostRow.Agentless(
                rs.getString("agentless_state"),
                rs.getString("agentless_summary"),
                rs.getObject("agentless_at", OffsetDateTime.class)),
        new HostRow.Flags(rs.getLong("history_gap"), rs.getLong("clock_skew_ms")));
  }

  /** The clock skew flagged on each host that has one (fleet/HostFlags keeps the rest at zero). */
  public Map<String, Long> clockSkews() {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id, clock_skew_ms FROM hosts WHERE clock_skew_ms <> 0");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading clock skews", e);
    }
  }

  /** How many hosts have lost acknowledged reports from their stored history (history_gap, set by the writer). */
  public long historyBehind() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM hosts WHERE history_gap > 0");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("counting hosts with a history gap", e);
    }
  }

  /** Whether a machine has enrolled as this host (an imported host has no node key until one does). */
  /** The hash of the host's current node key; null when it has none (imported from a file). */
  public String nodeKeyHash(String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT node_key_hash FROM hosts WHERE id = ?")) {
      ps.setString(1, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("reading host " + hostId, e);
    }
  }

  /** Lets the host be re-keyed by an enrollment whatever its hardware UUID, until {@code until} (once). */
  public void approveRekey(String hostId, OffsetDateTime until) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE hosts SET rekey_approved_until = ? WHERE id = ? AND revoked_at IS NULL")) {
      ps.setObject(1, until);
      ps.setString(2, hostId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("approving a re-key of host " + hostId, e);
    }
  }

  /** Until when an admin approved re-keying the host; null when not approved (or already used). */
  public OffsetDateTime rekeyApprovedUntil(String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT rekey_approved_until FROM hosts WHERE id = ?")) {
      ps.setString(1, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("reading host " + hostId, e);
    }
  }

  public boolean hasNodeKey(String hostId) {
    return nodeKeyHash(hostId) != null;
  }

  /** Sets the agent's clock skew flagged on a host (fleet/HostFlags writes it only when it changes). */
  public void setClockSkew(String hostId, long skewMs) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE hosts SET clock_skew_ms = ? WHERE id = ?")) {
      ps.setLong(1, skewMs);
      ps.setString(2, hostId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("flagging the clock of host " + hostId, e);
    }
  }

  private static Map<String, Map<String, String>> labels(Connection c, String hostId)
      throws SQLException {
    Map<String, Map<String, String>> out = new HashMap<>();
    String sql = "SELECT host_id, k, v FROM host_labels"
        + (hostId == null ? "" : " WHERE host_id = ?") + " ORDER BY k";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (hostId != null) {
        ps.setString(1, hostId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
    }
    return out;
  }

  private static Map<String, List<ModelRow>> models(Connection c, String hostId)
      throws SQLException {
    Map<String, List<ModelRow>> out = new HashMap<>();
    String sql =
        "SELECT host_id, name, digest, size_bytes, format, quantization, family, backend, loaded, "
            + "architecture, parameter_count, declared_dtype FROM host_models"
            + (hostId == null ? "" : " WHERE host_id = ?") + " ORDER BY name";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (hostId != null) {
        ps.setString(1, hostId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new ModelRow(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getBoolean(9),
                  rs.getString(10),
                  rs.getLong(11),
                  rs.getString(12)));
        }
      }
    }
    return out;
  }
}
