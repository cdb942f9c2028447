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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Stores reports. A batch is one transaction, so a whole batch of acknowledgements waits on one
 * commit (group commit). Agents deliver each host's reports strictly in sequence order and move on only
 * after an acknowledgement, so a report whose seq is at or below the host's stored last_seq (same
 * enrollment) has been stored already: it is a duplicate and changes nothing.
 *
 * Reports are an append-only log keyed by ids from {@link IdBlocks}; the host row carries last_seq and
 * points at its newest report. The update that moves last_seq forward is guarded on the value this
 * transaction read, so when two controllers race on one host's report (an agent failing over while its
 * retry is in flight) one of them updates nothing, rolls back and tries again, and then sees a duplicate.
 * Most reports change only last_seen and last_seq; the host's other facts are rewritten only when they
 * differ, which keeps the per-report write small on both databases.
 */
public final class ReportRepository {
  private static final int ATTEMPTS = 3;
  private final DataSource ds;
  private final IdBlocks ids;

  public ReportRepository(Database db) {
    this.ds = db.dataSource();
    this.ids = new IdBlocks(ds, "reports", 10_000);
  }

  private static final class HostState {
    final int epoch;
    final long readSeq;
    long lastSeq;
    final Facts facts;
    PendingReport newest;
    long newestId;

    HostState(int epoch, long lastSeq, Facts facts) {
      this.epoch = epoch;
      this.readSeq = lastSeq;
      this.lastSeq = lastSeq;
      this.facts = facts;
    }
  }

  /** Everything a report may change on the host row besides last_seen, last_seq and last_report_id. */
  private record Facts(int intervalSeconds, String chip, String chipGeneration, long memoryBytes, String osName,
      String osVersion, String osBuild, String modelsFp, Headline headline) {

    static Facts of(HostSnapshot s) {
      HostIdentity id = s.getIdentity();
      Headline h = Headline.of(s, stateLabel(s));
      return new Facts(Math.max(1, s.getReportIntervalSeconds()), id.getCpuBrand(), id.getChipGeneration(),
          id.getMemoryBytes(), id.getOsName(), id.getOsVersion() + (id.getOsExtra().isEmpty() ? "" : " "
          + id.getOsExtra()), id.getOsBuild(), modelsFingerprint(s), withoutWakeReason(h));
    }

    /** The wake reason is not kept on the host row; it rides along in events only. */
    static Headline withoutWakeReason(Headline h) {
      return new Headline(h.thermal(), h.power(), h.batteryPercent(), h.mobility(), h.memoryPressure(),
          h.swapUsedBytes(), h.lastSleep(), h.lastWake(), "", h.ollamaVersion(), h.ollamaState());
    }
  }

  /** Another controller moved a host's last_seq between this transaction's read and its update. */
  private static final class Conflict extends Exception {
    Conflict() {
      super(null, null, false, false);
    }
  }

  private static final String HEADLINE_COLUMNS = "thermal_level, power_source, battery_percent, mobility, "
      + "memory_pressure, swap_used_bytes, last_sleep_s, last_wake_s, ollama_version, ollama_state";

  /** Returns, per input report in order, true when stored and false when it was a duplicate. */
  public boolean[] storeBatch(List<PendingReport> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return tryStore(batch);
      } catch (Conflict e) {
        if (attempt == ATTEMPTS) {
          throw new StoreException("storing " + batch.size() + " report(s): another controller kept updating the "
              + "same hosts", null);
        }
      }
    }
  }

  private boolean[] tryStore(List<PendingReport> batch) throws Conflict {
    boolean[] stored = new boolean[batch.size()];
    ids.ensure(batch.size());
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<String, HostState> hosts = load(c, batch);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO reports (id, host_id, epoch, seq, "
            + "received_at, collected_at, reason, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (int i = 0; i < batch.size(); i++) {
            PendingReport r = batch.get(i);
            HostState h = hosts.get(r.hostId());
            if (h == null) {
              continue; // the host was deleted between authentication and storage
            }
            if (h.epoch == r.epoch() && r.seq() <= h.lastSeq) {
              continue;
            }
            long id = ids.next();
            insert.setLong(1, id);
            insert.setString(2, r.hostId());
            insert.setInt(3, r.epoch());
            insert.setLong(4, r.seq());
            insert.setObject(5, r.receivedAt());
            insert.setObject(6, collectedAt(r.snapshot()));
            insert.setString(7, r.reason());
            insert.setBytes(8, r.snapshot().toByteArray());
            insert.addBatch();
            stored[i] = true;
            if (h.epoch == r.epoch()) {
              h.lastSeq = r.seq();
              h.newest = r;
              h.newestId = id;
            }
          }
          insert.executeBatch();
        }
        updateHosts(c, hosts);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (retryable(e)) {
          throw new Conflict(); // deadlock or serialization failure: the database undid it, try again
        }
        throw e;
      } catch (RuntimeException | Conflict e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("storing " + batch.size() + " report(s)", e);
    }
    return stored;
  }

  /** A deadlock or serialization failure (SQLSTATE class 40), also when a JDBC batch wraps it. */
  private static boolean retryable(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x.getSQLState() != null && x.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, HostState> load(Connection c, List<PendingReport> batch) throws SQLException {
    List<String> ids = batch.stream().map(PendingReport::hostId).distinct().toList();
    // host rows are locked in id order, the same in every batch and on every controller: no deadlock between writers
    Map<String, HostState> out = new java.util.TreeMap<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String sql = "SELECT id, epoch, last_seq, models_fp, last_seen, report_interval_s, chip, chip_generation, "
          + "memory_bytes, os_name, os_version, os_build, " + HEADLINE_COLUMNS + " FROM hosts WHERE id IN ("
          + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Facts f = rs.getObject("last_seen") == null ? null : new Facts(rs.getInt("report_interval_s"),
                rs.getString("chip"), rs.getString("chip_generation"), rs.getLong("memory_bytes"),
                rs.getString("os_name"), rs.getString("os_version"), rs.getString("os_build"),
                rs.getString("models_fp"), new Headline(rs.getString("thermal_level"),
                rs.getString("power_source"), (Integer) rs.getObject("battery_percent"), rs.getString("mobility"),
                rs.getString("memory_pressure"), (Long) rs.getObject("swap_used_bytes"),
                (Long) rs.getObject("last_sleep_s"), (Long) rs.getObject("last_wake_s"), "",
                rs.getString("ollama_version"), rs.getString("ollama_state")));
            out.put(rs.getString(1), new HostState(rs.getInt(2), rs.getLong(3), f));
          }
        }
      }
    }
    return out;
  }

  /**
   * Each host follows its newest report (whose snapshot stays in reports, not copied). Only last_seen, last_seq
   * and last_report_id when nothing else changed; the whole row, events and model rows when something did.
   */
  private static void updateHosts(Connection c, Map<String, HostState> hosts) throws SQLException, Conflict {
    Map<String, List<ModelInfo>> changedModels = new LinkedHashMap<>();
    List<EventRow> events = new ArrayList<>();
    int progressed = 0;
    int rewritten = 0;
    try (PreparedStatement progress = c.prepareStatement("UPDATE hosts SET last_seen = ?, last_seq = ?, "
        + "last_report_id = ? WHERE id = ? AND epoch = ? AND last_seq = ?");
        PreparedStatement full = c.prepareStatement("UPDATE hosts SET last_seen = ?, last_seq = ?, "
        + "report_interval_s = ?, chip = ?, chip_generation = ?, memory_bytes = ?, os_name = ?, os_version = ?, "
        + "os_build = ?, ollama_version = ?, ollama_state = ?, models_fp = ?, thermal_level = ?, power_source = ?, "
        + "battery_percent = ?, mobility = ?, memory_pressure = ?, swap_used_bytes = ?, last_sleep_s = ?, "
        + "last_wake_s = ?, last_report_id = ? WHERE id = ? AND epoch = ? AND last_seq = ?")) {
      for (var e : hosts.entrySet()) {
        HostState state = e.getValue();
        PendingReport r = state.newest;
        if (r == null) {
          continue;
        }
        HostSnapshot s = r.snapshot();
        Facts facts = Facts.of(s);
        if (facts.equals(state.facts)) {
          progress.setObject(1, r.receivedAt());
          progress.setLong(2, r.seq());
          progress.setLong(3, state.newestId);
          progress.setString(4, r.hostId());
          progress.setInt(5, r.epoch());
          progress.setLong(6, state.readSeq);
          progress.addBatch();
          progressed++;
          continue;
        }
        Headline head = Headline.of(s, stateLabel(s));
        full.setObject(1, r.receivedAt());
        full.setLong(2, r.seq());
        full.setInt(3, facts.intervalSeconds());
        full.setString(4, facts.chip());
        full.setString(5, facts.chipGeneration());
        full.setLong(6, facts.memoryBytes());
        full.setString(7, facts.osName());
        full.setString(8, facts.osVersion());
        full.setString(9, facts.osBuild());
        full.setString(10, head.ollamaVersion());
        full.setString(11, head.ollamaState());
        full.setString(12, facts.modelsFp());
        full.setString(13, head.thermal());
        full.setString(14, head.power());
        full.setObject(15, head.batteryPercent());
        full.setString(16, head.mobility());
        full.setString(17, head.memoryPressure());
        full.setObject(18, head.swapUsedBytes());
        full.setObject(19, head.lastSleep());
        full.setObject(20, head.lastWake());
        full.setLong(21, state.newestId);
        full.setString(22, r.hostId());
        full.setInt(23, r.epoch());
        full.setLong(24, state.readSeq);
        full.addBatch();
        rewritten++;
        events.addAll(HeadlineChanges.between(state.facts == null ? null : state.facts.headline(), head, r.hostId(),
            observedAt(r), r.seq()));
        if (state.facts == null || !facts.modelsFp().equals(state.facts.modelsFp())) {
          changedModels.put(r.hostId(), s.getOllama().getModelsList());
        }
      }
      if (progressed > 0) {
        requireAll(progress.executeBatch());
      }
      if (rewritten > 0) {
        requireAll(full.executeBatch());
      }
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

  /** Every guarded update must have moved its host; none did when another controller got there first. */
  private static void requireAll(int[] counts) throws Conflict {
    for (int n : counts) {
      if (n == 0) {
        throw new Conflict();
      }
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
            "SELECT seq FROM reports WHERE host_id = ? ORDER BY received_at, id")) {
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
