package io.macfleet.controller.store;

import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Stores reports. A batch is one transaction, so a whole batch of acknowledgements waits on one
 * commit (group commit). Agents deliver each host's reports strictly in sequence order and move on only
 * after an acknowledgement, so a report whose seq is at or below the host's stored last_seq (same
 * enrollment) has been stored already: it is a duplicate and changes nothing. The primary key on
 * (host, epoch, seq) backs that rule up.
 */
public final class ReportRepository {
  private final DataSource ds;

  public ReportRepository(Database db) {
    this.ds = db.dataSource();
  }

  private static final class HostState {
    final int epoch;
    long lastSeq;
    final String modelsFp;
    final Headline headline;
    PendingReport newest;

    HostState(int epoch, long lastSeq, String modelsFp, Headline headline) {
      this.epoch = epoch;
      this.lastSeq = lastSeq;
      this.modelsFp = modelsFp;
      this.headline = headline;
    }
  }

  private static final String HEADLINE_COLUMNS = "thermal_level, power_source, battery_percent, mobility, "
      + "memory_pressure, swap_used_bytes, last_sleep_s, last_wake_s, ollama_version, ollama_state";

  /** Returns, per input report in order, true when stored and false when it was a duplicate. */
  public boolean[] storeBatch(List<PendingReport> batch) {
    boolean[] stored = new boolean[batch.size()];
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<String, HostState> hosts = load(c, batch);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO reports (host_id, epoch, seq, received_at, "
            + "collected_at, reason, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          for (int i = 0; i < batch.size(); i++) {
            PendingReport r = batch.get(i);
            HostState h = hosts.get(r.hostId());
            if (h == null) {
              continue; // the host was deleted between authentication and storage
            }
            if (h.epoch == r.epoch() && r.seq() <= h.lastSeq) {
              continue;
            }
            insert.setString(1, r.hostId());
            insert.setInt(2, r.epoch());
            insert.setLong(3, r.seq());
            insert.setObject(4, r.receivedAt());
            insert.setObject(5, collectedAt(r.snapshot()));
            insert.setString(6, r.reason());
            insert.setBytes(7, r.snapshot().toByteArray());
            insert.addBatch();
            stored[i] = true;
            if (h.epoch == r.epoch()) {
              h.lastSeq = r.seq();
              h.newest = r;
            }
          }
          insert.executeBatch();
        }
        updateHosts(c, hosts);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("storing " + batch.size() + " report(s)", e);
    }
    return stored;
  }

  private static Map<String, HostState> load(Connection c, List<PendingReport> batch) throws SQLException {
    List<String> ids = batch.stream().map(PendingReport::hostId).distinct().toList();
    Map<String, HostState> out = new HashMap<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String sql = "SELECT id, epoch, last_seq, models_fp, last_seen, " + HEADLINE_COLUMNS + " FROM hosts WHERE id IN ("
          + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Headline h = rs.getObject("last_seen") == null ? null : new Headline(rs.getString("thermal_level"),
                rs.getString("power_source"), (Integer) rs.getObject("battery_percent"), rs.getString("mobility"),
                rs.getString("memory_pressure"), (Long) rs.getObject("swap_used_bytes"),
                (Long) rs.getObject("last_sleep_s"), (Long) rs.getObject("last_wake_s"), "",
                rs.getString("ollama_version"), rs.getString("ollama_state"));
            out.put(rs.getString(1), new HostState(rs.getInt(2), rs.getLong(3), rs.getString(4), h));
          }
        }
      }
    }
    return out;
  }

  /** Each host's headline facts follow its newest report (whose snapshot stays in reports, not copied); its model rows are rewritten only when they changed. */
  private static void updateHosts(Connection c, Map<String, HostState> hosts) throws SQLException {
    Map<String, List<ModelInfo>> changedModels = new LinkedHashMap<>();
    List<EventRow> events = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("UPDATE hosts SET last_seen = ?, last_seq = ?, "
        + "report_interval_s = ?, chip = ?, chip_generation = ?, memory_bytes = ?, os_name = ?, os_version = ?, "
        + "os_build = ?, ollama_version = ?, ollama_state = ?, models_fp = ?, thermal_level = ?, power_source = ?, "
        + "battery_percent = ?, mobility = ?, memory_pressure = ?, swap_used_bytes = ?, last_sleep_s = ?, "
        + "last_wake_s = ? WHERE id = ? AND epoch = ?")) {
      for (var e : hosts.entrySet()) {
        PendingReport r = e.getValue().newest;
        if (r == null) {
          continue;
        }
        HostSnapshot s = r.snapshot();
        HostIdentity id = s.getIdentity();
        String fp = modelsFingerprint(s);
        ps.setObject(1, r.receivedAt());
        ps.setLong(2, r.seq());
        ps.setInt(3, Math.max(1, s.getReportIntervalSeconds()));
        ps.setString(4, id.getCpuBrand());
        ps.setString(5, id.getChipGeneration());
        ps.setLong(6, id.getMemoryBytes());
        ps.setString(7, id.getOsName());
        ps.setString(8, id.getOsVersion() + (id.getOsExtra().isEmpty() ? "" : " " + id.getOsExtra()));
        ps.setString(9, id.getOsBuild());
        ps.setString(10, s.getOllama().getVersion());
        ps.setString(11, stateLabel(s));
        ps.setString(12, fp);
        Headline head = Headline.of(s, stateLabel(s));
        ps.setString(13, head.thermal());
        ps.setString(14, head.power());
        ps.setObject(15, head.batteryPercent());
        ps.setString(16, head.mobility());
        ps.setString(17, head.memoryPressure());
        ps.setObject(18, head.swapUsedBytes());
        ps.setObject(19, head.lastSleep());
        ps.setObject(20, head.lastWake());
        ps.setString(21, r.hostId());
        ps.setInt(22, r.epoch());
        ps.addBatch();
        events.addAll(HeadlineChanges.between(e.getValue().headline, head, r.hostId(), observedAt(r), r.seq()));
        if (!fp.equals(e.getValue().modelsFp)) {
          changedModels.put(r.hostId(), s.getOllama().getModelsList());
        }
      }
      ps.executeBatch();
    }
    if (!events.isEmpty()) {
      try (PreparedStatement ev = c.prepareStatement("INSERT INTO events (host_id, at, kind, from_value, to_value, "
          + "detail, report_seq) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (EventRow e : events) {
          ev.setString(1, e.hostId());
          ev.setObject(2, e.at());
          ev.setString(3, e.kind());
          ev.setString(4, cut(e.from(), 128));
          ev.setString(5, cut(e.to(), 128));
          ev.setString(6, cut(e.detail(), 512));
          ev.setLong(7, e.reportSeq());
          ev.addBatch();
        }
        ev.executeBatch();
      }
    }
    if (changedModels.isEmpty()) {
      return;
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM host_models WHERE host_id = ?");
        PreparedStatement ins = c.prepareStatement("INSERT INTO host_models (host_id, name, digest, size_bytes, "
            + "format, quantization, family, backend, loaded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (var e : changedModels.entrySet()) {
        del.setString(1, e.getKey());
        del.addBatch();
        for (ModelInfo m : e.getValue()) {
          ins.setString(1, e.getKey());
          ins.setString(2, m.getName());
          ins.setString(3, m.getDigest());
          ins.setLong(4, m.getSizeBytes());
          ins.setString(5, m.getFormat());
          ins.setString(6, m.getQuantization());
          ins.setString(7, m.getFamily());
          ins.setString(8, backendLabel(m));
          ins.setBoolean(9, m.getLoaded());
          ins.addBatch();
        }
      }
      del.executeBatch();
      ins.executeBatch();
    }
  }

  /** Identifies the model rows a snapshot would write (names may repeat in a bad report: last one wins). */
  static String modelsFingerprint(HostSnapshot s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (ModelInfo m : s.getOllama().getModelsList()) {
        String row = m.getName() + '\0' + m.getDigest() + '\0' + m.getSizeBytes() + '\0' + m.getFormat() + '\0'
            + m.getQuantization() + '\0' + m.getFamily() + '\0' + m.getBackend() + '\0' + m.getLoaded() + '\n';
        md.update(row.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public long count() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM reports");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("counting reports", e);
    }
  }

  /** Hosts whose newest report saw Ollama answering. */
  public int hostsWithOllamaUp() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hosts WHERE ollama_state = 'up'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new StoreException("counting hosts", e);
    }
  }

  /** Sequence numbers stored for a host, in arrival order (for tests and audits). */
  public List<Long> sequences(String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT seq FROM reports WHERE host_id = ? ORDER BY received_at, seq")) {
      ps.setString(1, hostId);
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading sequences", e);
    }
  }

  /** When the agent saw the change: its collection time, else when the controller received it. */
  private static OffsetDateTime observedAt(PendingReport r) {
    OffsetDateTime c = collectedAt(r.snapshot());
    return c != null ? c : r.receivedAt();
  }

  private static String cut(String s, int max) {
    return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
  }

  static String backendLabel(ModelInfo m) {
    return switch (m.getBackend()) {
      case BACKEND_MLX -> "mlx";
      case BACKEND_LLAMA_CPP -> "llama.cpp";
      default -> "unknown";
    };
  }

  private static String stateLabel(HostSnapshot s) {
    return switch (s.getOllama().getState()) {
      case OLLAMA_UP -> "up";
      case OLLAMA_DOWN -> "down";
      case OLLAMA_UNHEALTHY -> "unhealthy";
      default -> "unknown";
    };
  }

  private static OffsetDateTime collectedAt(HostSnapshot s) {
    if (!s.hasCollectedAt()) {
      return null;
    }
    return Instant.ofEpochSecond(s.getCollectedAt().getSeconds(), s.getCollectedAt().getNanos())
        .atOffset(ZoneOffset.UTC);
  }
}
