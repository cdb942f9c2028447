package io.macfleet.controller.store;

import io.macfleet.controller.interchange.ClientsMapper;
import io.macfleet.controller.interchange.Records;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Stores reports. A batch is one transaction, so a whole batch of acknowledgements waits on one
 * commit (group commit). Agents deliver each host's reports strictly in sequence order and move on only
 * after an acknowledgement, so a report whose seq is at or below the host's stored last_seq (same
 * enrollment) has been stored already: it is a duplicate and changes nothing.
 *
 * Reports are an append-only log keyed by ids from {@link IdBlocks}; a host's narrow progress row
 * (host_progress) carries its epoch and last_seq and points at its newest report. The update that moves
 * last_seq forward is guarded on the epoch and value this transaction read, so when two controllers race on
 * one host's report (an agent failing over while its retry is in flight) one of them updates nothing, rolls
 * back and tries again, and then sees a duplicate. Most reports change only the progress row; the host row's
 * other facts are rewritten only when they differ, which keeps the per-report write small on both databases.
 *
 * What this controller last committed or read for a host is remembered, so a batch reads back only the host
 * rows it does not know. That memory can only lag the database (last_seq never moves back within an epoch, and
 * an epoch change is never taken from memory): a stale entry makes the guarded update move nothing, and the
 * batch is tried again from the rows themselves. Reading every host row back was a quarter of the writer's
 * time at 10,000 hosts.
 */
public final class ReportRepository {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ReportRepository.class);
  private static final int ATTEMPTS = 3;
  /**
   * The furthest a report's seq may lead the host's stored one. An agent's own gaps are the reports its full spool
   * dropped (10,000 by default) and its refused ones; a seq further ahead comes from a damaged or hostile counter,
   * and storing it would make every later genuine report a duplicate.
   */
  public static final long MAX_SEQ_JUMP = 100_000;
  /** Beyond this many hosts the memory starts again empty: it is only a shortcut. */
  private static final int KNOWN_MAX = 250_000;

  private final DataSource ds;
  private final IdBlocks ids;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  public ReportRepository(Database db) {
    this.ds = db.dataSource();
    this.ids = new IdBlocks(ds, "reports", 10_000);
  }

  /**
   * A host's row as of this controller's last commit or read of it. Updated in place, and its facts replaced only
   * when they differ: with every host reporting every few seconds, a new entry per report kept each host's newest
   * report's strings alive in the young generation, and the collector copied all 10,000 of them at every pause.
   */
  private static final class Known {
    final int epoch;
    volatile long lastSeq;
    volatile HostFacts facts;

    Known(int epoch, long lastSeq, HostFacts facts) {
      this.epoch = epoch;
      this.lastSeq = lastSeq;
      this.facts = facts;
    }
  }

  private static final class HostState {
    final int epoch;
    final long readSeq;
    long lastSeq;
    final HostFacts facts;
    PendingReport newest;
    long newestId;
    HostFacts newestFacts;

    /** False for a host that has no progress row yet (imported from a file): the writer inserts one. */
    final boolean hasProgress;

    HostState(int epoch, long lastSeq, HostFacts facts, boolean hasProgress) {
      this.epoch = epoch;
      this.readSeq = lastSeq;
      this.lastSeq = lastSeq;
      this.facts = facts;
      this.hasProgress = hasProgress;
    }
  }

  /** Another controller moved a host's last_seq between this transaction's read and its update. */
  private static final class Conflict extends Exception {
    Conflict() {
      super(null, null, false, false);
    }
  }

  private static final String HEADLINE_COLUMNS =
      "thermal_level, power_source, battery_percent, mobility, "
          + "memory_pressure, swap_used_bytes, last_sleep_s, last_wake_s, ollama_version, ollama_state";

  /** Returns, per input report in order, what became of it. */
  public ReportOutcome[] storeBatch(List<PendingReport> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return tryStore(batch, attempt == 1);
      } catch (Conflict e) {
        if (attempt == ATTEMPTS) {
          throw new StoreException(
              "storing " + batch.size() + " report(s): another controller kept updating the "
                  + "same hosts",
              null);
        }
      }
    }
  }

  private ReportOutcome[] tryStore(List<PendingReport> batch, boolean fromMemory) throws Conflict {
    ReportOutcome[] outcome = new ReportOutcome[batch.size()];
    ids.ensure(batch.size());
    boolean committed = false;
    Map<String, HostState> hosts = Map.of();
    List<EventRow> gaps = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        hosts = load(c, batch, fromMemory);
        List<Records.Clients> observed = new ArrayList<>();
        try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO reports (id, host_id, epoch, seq, "
                + "received_at, collected_at, reason, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (int i = 0; i < batch.size(); i++) {
            PendingReport r = batch.get(i);
            HostState h = hosts.get(r.hostId());
            if (h == null) {
              outcome[i] = new ReportOutcome(ReportOutcome.Kind.DUPLICATE, 0);
              continue; // the host was deleted between authentication and storage
            }
            if (h.epoch == r.epoch() && h.lastSeq > 0 && r.seq() - h.lastSeq > MAX_SEQ_JUMP) {
              outcome[i] = new ReportOutcome(ReportOutcome.Kind.AHEAD, h.lastSeq);
              continue;
            }
            if (h.epoch == r.epoch() && r.agentAcked() > h.lastSeq && r.seq() > h.lastSeq) {
              gaps.add(new EventRow(
                  0,
                  r.hostId(),
                  null,
                  r.receivedAt(),
                  "history_behind",
                  Long.toString(h.lastSeq),
                  Long.toString(r.agentAcked()),
                  "the agent saw seq " + r.agentAcked() + " acknowledged; the "
                      + "database held up to " + h.lastSeq + ": " + (r.agentAcked() - h.lastSeq)
                      + " report(s) lost "
                      + "(database restored from a backup or damaged)",
                  r.seq()));
            }
            if (h.epoch == r.epoch() && r.seq() <= h.lastSeq) {
              outcome[i] = new ReportOutcome(ReportOutcome.Kind.DUPLICATE, h.lastSeq);
              continue;
            }
            long id = ids.next();
            insert.setLong(1, id);
            insert.setString(2, r.hostId());
            insert.setInt(3, r.epoch());
            insert.setLong(4, r.seq());
            insert.setObject(5, r.receivedAt());
            insert.setObject(6, r.collectedAt());
            insert.setString(7, r.reason());
            insert.setBytes(8, r.snapshotBytes());
            insert.addBatch();
            if (r.snapshot().hasClients()) {
              ClientsMapper.of(
                      r.hostId(), r.collectedAt().toInstant(), r.snapshot().getClients())
                  .ifPresent(observed::add);
            }
            if (h.epoch == r.epoch()) {
              h.lastSeq = r.seq();
              h.newest = r;
              h.newestId = id;
            }
            outcome[i] =
                new ReportOutcome(ReportOutcome.Kind.STORED, h.epoch == r.epoch() ? h.lastSeq : 0);
          }
          insert.executeBatch();
        }
        for (Records.Clients x : observed) {
          ClientRepository.insert(c, x.host(), x); // host holds the host id here
        }
        updateHosts(c, hosts);
        if (!gaps.isEmpty()) {
          flagGaps(c, gaps);
        }
        c.commit();
        committed = true;
      } catch (SQLException e) {
        c.rollback();
        if (retryable(e)) {
          throw new Conflict(); // deadlock or serialization failure: the database undid it, try
          // again
        }
        throw e;
      } catch (RuntimeException | Conflict e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("storing " + batch.size() + " report(s)", e);
    } finally {
      remember(batch, hosts, committed);
    }
    return outcome;
  }

  /**
   * Reports whose agent had seen later ones acknowledged than the host's stored history holds: the database lost
   * them (restored from a backup, or damaged). Told as an event and kept on the host row (history_gap), in the same
   * transaction as the report that revealed it. Rare: only the first report after such a loss finds it.
   */
  private static void flagGaps(Connection c, List<EventRow> gaps) throws SQLException {
    try (PreparedStatement flag =
            c.prepareStatement("UPDATE hosts SET history_gap = ? WHERE id = ?");
        PreparedStatement ev =
            c.prepareStatement("INSERT INTO events (host_id, at, kind, from_value, to_value, "
                + "detail, report_seq) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (EventRow e : gaps) {
        flag.setLong(1, Long.parseLong(e.to()) - Long.parseLong(e.from()));
        flag.setString(2, e.hostId());
        flag.executeUpdate();
        ev.setString(1, e.hostId());
        ev.setObject(2, e.at());
        ev.setString(3, e.kind());
        ev.setString(4, e.from());
        ev.setString(5, e.to());
        ev.setString(6, cut(e.detail(), 512));
        ev.setLong(7, e.reportSeq());
        ev.executeUpdate();
        log.error("host {}: stored history is behind its agent's: {}", e.hostId(), e.detail());
      }
    }
  }

  /** After a commit, what it wrote; after anything else, nothing about the batch's hosts (read them again). */
  private void remember(
      List<PendingReport> batch, Map<String, HostState> hosts, boolean committed) {
    if (!committed) {
      batch.forEach(r -> known.remove(r.hostId()));
      return;
    }
    if (known.size() > KNOWN_MAX) {
      known.clear();
    }
    hosts.forEach((id, h) -> {
      HostFacts facts = h.newest != null ? h.newestFacts : h.facts;
      Known k = known.get(id);
      if (k == null || k.epoch != h.epoch) {
        known.put(id, new Known(h.epoch, h.lastSeq, facts));
        return;
      }
      k.lastSeq = h.lastSeq;
      if (k.facts != facts) {
        k.facts = facts;
      }
    });
  }

  /** A deadlock or serialization failure (SQLSTATE class 40), also when a JDBC batch wraps it. */
  private static boolean retryable(SQLException e) {
    return hasState(e, "40");
  }

  private static boolean hasState(SQLException e, String prefix) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x.getSQLState() != null && x.getSQLState().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The batch's hosts, from memory where every report of the host is of the remembered epoch, else from their rows.
   * Host rows are locked (updated) in id order, the same in every batch and on every controller: no deadlock between
   * writers.
   */
  private Map<String, HostState> load(Connection c, List<PendingReport> batch, boolean fromMemory)
      throws SQLException {
    Map<String, HostState> out = new java.util.TreeMap<>();
    Map<String, Boolean> unknown = new LinkedHashMap<>();
    for (PendingReport r : batch) {
      Known k = fromMemory ? known.get(r.hostId()) : null;
      if (k != null && k.epoch == r.epoch() && !unknown.containsKey(r.hostId())) {
        out.putIfAbsent(r.hostId(), new HostState(k.epoch, k.lastSeq, k.facts, true));
      } else {
        out.remove(r.hostId());
        unknown.put(r.hostId(), Boolean.TRUE);
      }
    }
    List<String> ids = List.copyOf(unknown.keySet());
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String sql =
          "SELECT h.id, h.epoch, p.epoch AS progress_epoch, p.last_seq, p.last_seen, models_fp, "
              + "report_interval_s, chip, chip_generation, memory_bytes, os_name, os_version, os_build, "
              + HEADLINE_COLUMNS
              + " FROM hosts h LEFT JOIN host_progress p ON p.host_id = h.id WHERE h.id IN ("
              + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            HostFacts f = rs.getObject("last_seen") == null
                ? null
                : new HostFacts(
                    rs.getInt("report_interval_s"),
                    rs.getString("chip"),
                    rs.getString("chip_generation"),
                    rs.getLong("memory_bytes"),
                    rs.getString("os_name"),
                    rs.getString("os_version"),
                    rs.getString("os_build"),
                    rs.getString("models_fp"),
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
                        rs.getString("ollama_state")));
            boolean hasProgress = rs.getObject("progress_epoch") != null;
            out.put(
                rs.getString(1),
                hasProgress
                    ? new HostState(rs.getInt("progress_epoch"), rs.getLong("last_seq"), f, true)
                    : new HostState(rs.getInt("epoch"), 0, f, false));
          }
        }
      }
    }
    return out;
  }

  /**
   * Each host follows its newest report (whose snapshot stays in reports, not copied): its progress row always, with
   * the update guarded on the epoch and last_seq this transaction read; the host row, events and model rows only when
   * something else changed. Progress rows are taken first and host rows after, both in id order, as re-enrollment
   * takes them.
   */
  private static void updateHosts(Connection c, Map<String, HostState> hosts)
      throws SQLException, Conflict {
    Map<String, List<ModelInfo>> changedModels = new LinkedHashMap<>();
    List<EventRow> events = new ArrayList<>();
    int progressed = 0;
    int created = 0;
    int rewritten = 0;
    try (PreparedStatement progress =
            c.prepareStatement("UPDATE host_progress SET last_seen = ?, last_seq = ?, "
                + "last_report_id = ? WHERE host_id = ? AND epoch = ? AND last_seq = ?");
        PreparedStatement create =
            c.prepareStatement("INSERT INTO host_progress (last_seen, last_seq, last_report_id, "
                + "host_id, epoch) VALUES (?, ?, ?, ?, ?)");
        PreparedStatement full = c.prepareStatement("UPDATE hosts SET "
            + "report_interval_s = ?, chip = ?, chip_generation = ?, memory_bytes = ?, os_name = ?, os_version = ?, "
            + "os_build = ?, ollama_version = ?, ollama_state = ?, models_fp = ?, thermal_level = ?, power_source = ?, "
            + "battery_percent = ?, mobility = ?, memory_pressure = ?, swap_used_bytes = ?, last_sleep_s = ?, "
            + "last_wake_s = ? WHERE id = ?")) {
      for (var e : hosts.entrySet()) {
        HostState state = e.getValue();
        PendingReport r = state.newest;
        if (r == null) {
          continue;
        }
        PreparedStatement p = state.hasProgress ? progress : create;
        p.setObject(1, r.receivedAt());
        p.setLong(2, r.seq());
        p.setLong(3, state.newestId);
        p.setString(4, r.hostId());
        p.setInt(5, r.epoch());
        if (state.hasProgress) {
          p.setLong(6, state.readSeq);
          progressed++;
        } else {
          created++;
        }
        p.addBatch();
        HostSnapshot s = r.snapshot();
        HostFacts facts = r.facts();
        if (facts.equals(state.facts)) {
          state.newestFacts =
              state.facts; // the same facts: keep the object already remembered (see Known)
          continue;
        }
        state.newestFacts = facts;
        Headline head = r.headline();
        full.setInt(1, facts.intervalSeconds());
        full.setString(2, facts.chip());
        full.setString(3, facts.chipGeneration());
        full.setLong(4, facts.memoryBytes());
        full.setString(5, facts.osName());
        full.setString(6, facts.osVersion());
        full.setString(7, facts.osBuild());
        full.setString(8, head.ollamaVersion());
        full.setString(9, head.ollamaState());
        full.setString(10, facts.modelsFp());
        full.setString(11, head.thermal());
        full.setString(12, head.power());
        full.setObject(13, head.batteryPercent());
        full.setString(14, head.mobility());
        full.setString(15, head.memoryPressure());
        full.setObject(16, head.swapUsedBytes());
        full.setObject(17, head.lastSleep());
        full.setObject(18, head.lastWake());
        full.setString(19, r.hostId());
        full.addBatch();
        rewritten++;
        events.addAll(HeadlineChanges.between(
            state.facts == null ? null : state.facts.headline(),
            head,
            r.hostId(),
            observedAt(r),
            r.seq()));
        if (state.facts == null || !facts.modelsFp().equals(state.facts.modelsFp())) {
          changedModels.put(r.hostId(), s.getOllama().getModelsList());
        }
      }
      if (progressed > 0) {
        requireAll(progress.executeBatch());
      }
      if (created > 0) {
        try {
          create.executeBatch();
        } catch (SQLException e) {
          if (hasState(e, "23505")) {
            throw new Conflict(); // another controller made the row meanwhile: read it and try
            // again
          }
          throw e;
        }
      }
      if (rewritten > 0) {
        full.executeBatch();
      }
    }
    if (!events.isEmpty()) {
      try (PreparedStatement ev =
          c.prepareStatement("INSERT INTO events (host_id, at, kind, from_value, to_value, "
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
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO host_models (host_id, name, digest, size_bytes, format, quantization, family, "
                + "backend, loaded, architecture, parameter_count, declared_dtype) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
          ins.setString(10, m.getArchitecture());
          ins.setLong(11, Math.max(0, m.getParameterCount()));
          ins.setString(12, m.getDeclaredDtype());
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
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM hosts WHERE ollama_state = 'up'");
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
    OffsetDateTime c = r.collectedAt();
    return c != null ? c : r.receivedAt();
  }

  static String cut(String s, int max) {
    return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
  }

  static String backendLabel(ModelInfo m) {
    return switch (m.getBackend()) {
      case BACKEND_MLX -> "mlx";
      case BACKEND_LLAMA_CPP -> "llama.cpp";
      default -> "unknown";
    };
  }
}
