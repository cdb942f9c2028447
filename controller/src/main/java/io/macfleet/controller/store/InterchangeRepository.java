package io.macfleet.controller.store;

import io.macfleet.controller.interchange.AgentRunMapper;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The fleet's data in the interchange format's terms: what a finished agent run adds (triple, samples,
 * telemetry), what an imported file adds (in one transaction: all of it or none), and what export and the
 * verdict engine read back.
 */
public final class InterchangeRepository {
  /** samples.error_message's size (V19): Ollama's message, cut to fit. */
  private static final int ERROR_MESSAGE_COLUMN = 512;

  private final DataSource ds;
  private final Dialect dialect;

  public InterchangeRepository(Database db) {
    this.ds = db.dataSource();
    this.dialect = db.dialect();
  }

  /** Counts of what an import stored and skipped. */
  /** What an import did; {@code changes} names every label it set and every one it kept from changing. */
  public record ImportCounts(
      int hostsCreated,
      int hostsUpdated,
      int runs,
      int runsSkipped,
      long samples,
      int telemetry,
      int events,
      int states,
      int clients,
      List<String> changes) {}

  /**
   * Labels an imported file never changes on an enrolled host: they say how the controller reaches and runs
   * commands on it (ssh.*, ollama.* such as ollama.bin) and whether it is a control Mac (role). A file is data.
   */
  static boolean protectedLabel(String key) {
    return key.equals("role") || key.startsWith("ssh.") || key.startsWith("ollama.");
  }

  /** A finished agent run: its triple on the run row, its samples, its telemetry summary and sleep event. */
  public void saveAgentRun(String hostId, AgentRunMapper.Mapped m) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        updateTriple(c, m.run());
        insertSamples(c, m.run().run(), m.samples());
        if (m.telemetry().isPresent()) {
          insertTelemetry(c, hostId, m.telemetry().get());
        }
        if (m.sleep().isPresent()) {
          insertEvent(c, hostId, m.sleep().get(), "during run " + m.run().run());
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("storing the samples of run " + m.run().run(), e);
    }
  }

  private static void updateTriple(Connection c, Records.Run r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE runs SET digest = ?, ollama_version = ?, os_build = ?, "
            + "backend = ?, prompt_set = ?, ended_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ?")) {
      ps.setString(1, r.digest());
      ps.setString(2, r.ollamaVersion());
      ps.setString(3, r.osBuild());
      ps.setString(4, r.backend());
      ps.setString(5, r.promptSet());
      ps.setObject(6, odt(r.endedAt()));
      ps.setObject(7, odt(r.startedAt()));
      ps.setString(8, r.run());
      ps.executeUpdate();
    }
  }

  /**
   * A whole interchange file, in one transaction. Hosts are matched by name (an enrolled host keeps its
   * credentials); runs already present are skipped with their samples, so importing a file twice stores it once.
   */
  public ImportCounts importAll(List<Records.Record> records, OffsetDateTime now) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        ImportCounts counts = importIn(c, records, now);
        c.commit();
        return counts;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("importing", e);
    }
  }

  private ImportCounts importIn(Connection c, List<Records.Record> records, OffsetDateTime now)
      throws SQLException {
    Map<String, String> hostIds = new HashMap<>();
    List<String> changes = new ArrayList<>();
    int[] created = {0};
    int updated = 0;
    for (Records.Record r : records) {
      if (r instanceof Records.Host h) {
        String id = hostId(c, h.host());
        if (id == null) {
          id = createHost(c, h.host(), now);
          created[0]++;
        } else {
          updated++;
        }
        // only hosts that never enrolled, as for their state below: an agent's own reports are the
        // truth for its host
        // (and the report writer, which remembers what it last wrote, would not notice a host row
        // changed here)
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE hosts SET chip = COALESCE(?, chip), chip_generation = "
                + "COALESCE(?, chip_generation), memory_bytes = COALESCE(?, memory_bytes) WHERE id = ? "
                + "AND node_key_hash = ''")) {
          ps.setString(1, h.chip());
          ps.setString(2, h.chipGeneration());
          ps.setObject(3, h.memoryBytes());
          ps.setString(4, id);
          ps.executeUpdate();
        }
        Map<String, String> labels = new LinkedHashMap<>(h.labels());
        labels.put("role", h.role());
        boolean enrolled = enrolled(c, id);
        Map<String, String> current = labels(c, id);
        for (var e : labels.entrySet()) {
          if (e.getValue().equals(current.get(e.getKey()))) {
            continue;
          }
          if (enrolled && protectedLabel(e.getKey())) {
            changes.add(h.host() + ": kept " + e.getKey()
                + (current.containsKey(e.getKey()) ? "=" + current.get(e.getKey()) : " unset")
                + " (the file said " + e.getValue() + "; an enrolled host's role, ssh.* and "
                + "ollama.* labels change only by `macfleet hosts label`)");
            continue;
          }
          upsertLabel(c, id, e.getKey(), e.getValue());
          changes.add(h.host() + ": set " + e.getKey() + "=" + e.getValue()
              + (current.containsKey(e.getKey()) ? " (was " + current.get(e.getKey()) + ")" : ""));
        }
        hostIds.put(h.host(), id);
      }
    }
    Set<String> skippedRuns = new HashSet<>();
    int runs = 0;
    int telemetry = 0;
    int events = 0;
    int states = 0;
    int clients = 0;
    Map<String, List<Records.Sample>> samples = new LinkedHashMap<>();
    for (Records.Record r : records) {
      if (r instanceof Records.Run run) {
        String hostId = hostFor(c, hostIds, run.host(), now, created);
        if (exists(c, run.run())) {
          skippedRuns.add(run.run());
          continue;
        }
        insertImportedRun(c, hostId, run);
        runs++;
      } else if (r instanceof Records.Sample s) {
        samples.computeIfAbsent(s.run(), k -> new ArrayList<>()).add(s);
      } else if (r instanceof Records.Telemetry t) {
        insertTelemetry(c, hostFor(c, hostIds, t.host(), now, created), t);
        telemetry++;
      } else if (r instanceof Records.Event e) {
        insertEvent(c, hostFor(c, hostIds, e.host(), now, created), e, "imported");
        events++;
      } else if (r instanceof Records.State s) {
        applyState(c, hostFor(c, hostIds, s.host(), now, created), s);
        states++;
      } else if (r instanceof Records.Clients x) {
        ClientRepository.insert(c, hostFor(c, hostIds, x.host(), now, created), x);
        clients++;
      }
    }
    long sampleCount = 0;
    for (var e : samples.entrySet()) {
      if (skippedRuns.contains(e.getKey()) || !exists(c, e.getKey())) {
        continue; // a sample of a run already stored, or of no run at all (the reader warned)
      }
      insertSamples(c, e.getKey(), e.getValue());
      var levels = io.macfleet.controller.interchange.LevelSummary.of(e.getValue());
      RunLevels.insert(c, e.getKey(), levels);
      // the N-way/1-way ratio a probed run carries from its agent, here from the imported samples
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE runs SET ttft_p95_ratio = ? WHERE id = ?")) {
        ps.setObject(1, io.macfleet.controller.interchange.LevelSummary.ttftP95Ratio(levels));
        ps.setString(2, e.getKey());
        ps.executeUpdate();
      }
      sampleCount += e.getValue().size();
    }
    return new ImportCounts(
        created[0],
        updated,
        runs,
        skippedRuns.size(),
        sampleCount,
        telemetry,
        events,
        states,
        clients,
        changes);
  }

  private String hostFor(
      Connection c, Map<String, String> ids, String host, OffsetDateTime now, int[] created)
      throws SQLException {
    String id = ids.get(host);
    if (id == null) {
      id = hostId(c, host);
      if (id == null) {
        id = createHost(c, host, now);
        upsertLabel(c, id, "role", "fleet");
        created[0]++;
      }
      ids.put(host, id);
    }
    return id;
  }

  private static String hostId(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM hosts WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** An imported host has no node key (an empty hash no key can match): it can be judged, never report. */
  private static String createHost(Connection c, String name, OffsetDateTime now)
      throws SQLException {
    String id = UUID.randomUUID().toString();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO hosts (id, name, node_key_hash, enrolled_at) VALUES (?, ?, '', ?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setObject(3, now);
      ps.executeUpdate();
    }
    return id;
  }

  /** Whether the host has enrolled (holds a node key): its agent, not a file, is the truth for it. */
  private static boolean enrolled(Connection c, String hostId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT node_key_hash FROM hosts WHERE id = ?")) {
      ps.setString(1, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null && !rs.getString(1).isEmpty();
      }
    }
  }

  private static Map<String, String> labels(Connection c, String hostId) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT k, v FROM host_labels WHERE host_id = ?")) {
      ps.setString(1, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  private void upsertLabel(Connection c, String hostId, String k, String v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(dialect.upsertLabel())) {
      ps.setString(1, hostId);
      ps.setString(2, k);
      ps.setString(3, v);
      ps.executeUpdate();
    }
  }

  private static void applyState(Connection c, String hostId, Records.State s) throws SQLException {
    // only hosts that never enrolled: an agent's own reports are the truth for the hosts it runs on
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE hosts SET ollama_version = COALESCE(?, ollama_version), "
            + "os_version = COALESCE(?, os_version), os_build = COALESCE(?, os_build) WHERE id = ? AND node_key_hash = ''")) {
      ps.setString(1, s.ollamaVersion());
      ps.setString(2, s.osVersion());
      ps.setString(3, s.osBuild());
      ps.setString(4, hostId);
      ps.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void insertImportedRun(Connection c, String hostId, Records.Run r)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO runs (id, host_id, model, purpose, status, reason, "
            + "requested_at, started_at, finished_at, ended_at, spec, digest, ollama_version, os_build, backend, prompt_set, "
            + "baseline, source) VALUES (?, ?, ?, ?, 'done', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')")) {
      OffsetDateTime end = odt(r.endedAt() != null ? r.endedAt() : r.startedAt());
      ps.setString(1, r.run());
      ps.setString(2, hostId);
      ps.setString(3, r.model());
      ps.setString(4, r.purpose());
      ps.setObject(5, odt(r.startedAt()));
      ps.setObject(6, odt(r.startedAt()));
      ps.setObject(7, end);
      ps.setObject(8, odt(r.endedAt()));
      ps.setBytes(9, new byte[0]);
      ps.setString(10, r.digest());
      ps.setString(11, r.ollamaVersion());
      ps.setString(12, r.osBuild());
      ps.setString(13, r.backend());
      ps.setString(14, r.promptSet());
      ps.setBoolean(15, r.baseline());
      ps.executeUpdate();
    }
  }

  private static void insertSamples(Connection c, String runId, List<Records.Sample> samples)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO samples (run_id, n, at, concurrency, cold, ttft_ms, "
            + "prefill_tps, decode_tps, load_ms, e2e_ms, prompt_tokens, output_tokens, error, "
            + "error_message, error_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int n = 0;
      for (Records.Sample s : samples) {
        ps.setString(1, runId);
        ps.setInt(2, n++);
        ps.setObject(3, odt(s.at()));
        ps.setInt(4, s.concurrency());
        ps.setBoolean(5, s.cold());
        ps.setObject(6, s.ttftMs());
        ps.setObject(7, s.prefillTps());
        ps.setObject(8, s.decodeTps());
        ps.setObject(9, s.loadMs());
        ps.setObject(10, s.e2eMs());
        ps.setObject(11, s.promptTokens());
        ps.setObject(12, s.outputTokens());
        ps.setString(
            13,
            s.error() == null
                ? null
                : s.error().length() > 32 ? s.error().substring(0, 32) : s.error());
        ps.setString(
            14,
            s.errorMessage() == null
                ? null
                : s.errorMessage().length() > ERROR_MESSAGE_COLUMN
                    ? s.errorMessage().substring(0, ERROR_MESSAGE_COLUMN)
                    : s.errorMessage());
        ps.setObject(15, s.errorTokens());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertTelemetry(Connection c, String hostId, Records.Telemetry t)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO telemetry_points (host_id, at, thermal_pressure, "
            + "power_source, battery_percent, lid_closed, external_display, swap_used_bytes, memory_pressure) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, hostId);
      ps.setObject(2, odt(t.at()));
      ps.setString(3, t.thermalPressure());
      ps.setString(4, t.powerSource());
      ps.setObject(5, t.batteryPercent());
      ps.setObject(6, t.lidClosed());
      ps.setObject(7, t.externalDisplay());
      ps.setObject(8, t.swapUsedBytes());
      ps.setString(9, t.memoryPressure());
      ps.executeUpdate();
    }
  }

  private static void insertEvent(Connection c, String hostId, Records.Event e, String detail)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO events (host_id, at, kind, detail, report_seq) VALUES (?, ?, ?, ?, 0)")) {
      ps.setString(1, hostId);
      ps.setObject(2, odt(e.at()));
      ps.setString(3, e.event().length() > 32 ? e.event().substring(0, 32) : e.event());
      ps.setString(4, detail);
      ps.executeUpdate();
    }
  }

  /**
   * Everything since a time, optionally of one model, as records: hosts, telemetry, events, completed runs
   * and their samples. Export writes these; the verdict engine reads them as a dataset.
   */
  public void export(OffsetDateTime since, String model, Consumer<Records.Record> sink) {
    export(since, model, false, sink);
  }

  /**
   * As {@link #export(OffsetDateTime, String, Consumer)}; with {@code siblings}, the runs of every tag of the
   * model's name as well (qwen3:8b-q4_K_M beside qwen3:8b-fp16), so that a failure can be checked against
   * another quantization of the same model.
   */
  private void export(
      OffsetDateTime since, String model, boolean siblings, Consumer<Records.Record> sink) {
    try (Connection c = ds.getConnection()) {
      Map<String, String> names = new HashMap<>();
      Map<String, Map<String, String>> labels = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT host_id, k, v FROM host_labels");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          labels
              .computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement("SELECT id, name, chip, chip_generation, memory_bytes FROM hosts "
                  + "WHERE revoked_at IS NULL ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.put(rs.getString(1), rs.getString(2));
          Map<String, String> l = new TreeMap<>(labels.getOrDefault(rs.getString(1), Map.of()));
          String role = "control".equals(l.remove("role")) ? "control" : "fleet";
          sink.accept(new Records.Host(
              rs.getString(2),
              blank(rs.getString(3)),
              blank(rs.getString(4)),
              rs.getLong(5) == 0 ? null : rs.getLong(5),
              role,
              l));
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT host_id, at, thermal_pressure, power_source, "
              + "battery_percent, lid_closed, external_display, swap_used_bytes, memory_pressure FROM telemetry_points "
              + "WHERE at >= ? ORDER BY at")) {
        ps.setObject(1, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String host = names.get(rs.getString(1));
            if (host != null) {
              sink.accept(new Records.Telemetry(
                  host,
                  instant(rs, 2),
                  rs.getString(3),
                  rs.getString(4),
                  (Integer) rs.getObject(5),
                  (Boolean) rs.getObject(6),
                  (Boolean) rs.getObject(7),
                  rs.getObject(8) == null ? null : rs.getLong(8),
                  rs.getString(9)));
            }
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT host_id, at, kind FROM events WHERE at >= ? ORDER BY at")) {
        ps.setObject(1, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String host = names.get(rs.getString(1));
            if (host != null) {
              sink.accept(new Records.Event(host, instant(rs, 2), rs.getString(3)));
            }
          }
        }
      }
      ClientRepository.since(c, since, names, sink::accept);
      states(c, names, model, siblings, sink);
      List<String> runIds = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT id, host_id, COALESCE(started_at, requested_at), "
              + "COALESCE(ended_at, finished_at), model, digest, ollama_version, os_build, backend, prompt_set, purpose, "
              + "baseline FROM runs WHERE status IN (?, ?) AND finished_at >= ?"
              + (model == null
                  ? ""
                  : siblings ? " AND (model = ? OR model LIKE ?)" : " AND model = ?")
              + " ORDER BY requested_at")) {
        // a failed run that sent its record is history too: its samples say how it failed
        ps.setString(1, RunStatus.DONE.wire());
        ps.setString(2, RunStatus.FAILED.wire());
        ps.setObject(3, since);
        if (model != null) {
          ps.setString(4, model);
          if (siblings) {
            ps.setString(5, likePrefix(model.substring(0, Math.max(0, model.indexOf(':'))) + ":"));
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String host = names.get(rs.getString(2));
            if (host == null) {
              continue;
            }
            runIds.add(rs.getString(1));
            sink.accept(new Records.Run(
                rs.getString(1),
                host,
                instant(rs, 3),
                instant(rs, 4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                interchangePurpose(rs.getString(11)),
                rs.getBoolean(12)));
          }
        }
      }
      samples(c, runIds, sink);
    } catch (SQLException e) {
      throw new StoreException("exporting", e);
    }
  }

  /**
   * Each host's software triple and models as of its last report (the model's tags only, when one is named): what
   * Gate A compares, digest and declared dtype beside the tag.
   */
  private static void states(
      Connection c,
      Map<String, String> names,
      String model,
      boolean siblings,
      Consumer<Records.Record> sink)
      throws SQLException {
    Map<String, List<Records.ModelRef>> models = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT host_id, name, digest, format, quantization, declared_dtype FROM host_models"
            + (model == null ? "" : siblings ? " WHERE name = ? OR name LIKE ?" : " WHERE name = ?")
            + " ORDER BY host_id, name")) {
      if (model != null) {
        ps.setString(1, model);
        if (siblings) {
          ps.setString(2, likePrefix(model.substring(0, Math.max(0, model.indexOf(':'))) + ":"));
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          models
              .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new Records.ModelRef(
                  rs.getString(2),
                  blank(rs.getString(3)),
                  blank(rs.getString(4)),
                  blank(rs.getString(5)),
                  blank(rs.getString(6))));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT h.id, h.ollama_version, h.os_version, h.os_build, p.last_seen FROM hosts h "
                + "LEFT JOIN host_progress p ON p.host_id = h.id WHERE h.revoked_at IS NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String host = names.get(rs.getString(1));
        List<Records.ModelRef> held = models.get(rs.getString(1));
        Instant at = instant(rs, 5);
        if (host == null || held == null || at == null) {
          continue; // a host that never reported, or holds none of the model's tags
        }
        sink.accept(new Records.State(
            host,
            at,
            blank(rs.getString(2)),
            blank(rs.getString(3)),
            blank(rs.getString(4)),
            held,
            Map.of()));
      }
    }
  }

  private static void samples(Connection c, List<String> runIds, Consumer<Records.Record> sink)
      throws SQLException {
    for (int from = 0; from < runIds.size(); from += 500) {
      List<String> chunk = runIds.subList(from, Math.min(runIds.size(), from + 500));
      String sql =
          "SELECT run_id, at, concurrency, cold, ttft_ms, prefill_tps, decode_tps, load_ms, e2e_ms, "
              + "prompt_tokens, output_tokens, error, error_message, error_tokens FROM samples "
              + "WHERE run_id IN ("
              + String.join(",", java.util.Collections.nCopies(chunk.size(), "?"))
              + ") ORDER BY run_id, n";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.accept(new Records.Sample(
                rs.getString(1),
                instant(rs, 2),
                rs.getInt(3),
                rs.getBoolean(4),
                (Double) rs.getObject(5),
                (Double) rs.getObject(6),
                (Double) rs.getObject(7),
                (Double) rs.getObject(8),
                (Double) rs.getObject(9),
                (Integer) rs.getObject(10),
                (Integer) rs.getObject(11),
                rs.getString(12),
                rs.getString(13),
                (Integer) rs.getObject(14)));
          }
        }
      }
    }
  }

  /** One model's data (null: every model's) since a time. */
  /** Gate C's observations since {@code since}, oldest first, by host name. */
  public Map<String, List<Records.Clients>> clients(OffsetDateTime since) {
    Map<String, List<Records.Clients>> out = new TreeMap<>();
    try (Connection c = ds.getConnection()) {
      Map<String, String> names = new HashMap<>();
      try (PreparedStatement ps =
              c.prepareStatement("SELECT id, name FROM hosts WHERE revoked_at IS NULL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.put(rs.getString(1), rs.getString(2));
        }
      }
      ClientRepository.since(
          c,
          since,
          names,
          x -> out.computeIfAbsent(x.host(), k -> new ArrayList<>()).add(x));
    } catch (SQLException e) {
      throw new StoreException("reading client observations", e);
    }
    return out;
  }

  public Dataset dataset(String model, OffsetDateTime since) {
    Dataset d = new Dataset();
    export(since, model, false, d::add);
    return d.index();
  }

  /**
   * The verdict engine's view of a model since a time: its runs and those of the other tags of its name, so that
   * a failure can be held against another quantization of the same model.
   */
  public Dataset datasetWithSiblings(String model, OffsetDateTime since) {
    Dataset d = new Dataset();
    export(since, model, model.indexOf(':') > 0, d::add);
    return d.index();
  }

  /** A LIKE pattern for names that start with prefix (its own % and _ taken literally). */
  private static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /** Marks (or unmarks) runs as a host's pinned baseline. */
  public int setBaseline(List<String> runIds, boolean pinned) {
    int n = 0;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE runs SET baseline = ? WHERE id = ?")) {
      for (String id : runIds) {
        ps.setBoolean(1, pinned);
        ps.setString(2, id);
        n += ps.executeUpdate();
      }
      return n;
    } catch (SQLException e) {
      throw new StoreException("pinning the baseline", e);
    }
  }

  /** Clears a host's pinned baseline for a model; returns how many runs were unpinned. */
  public int clearBaseline(String hostId, String model) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE runs SET baseline = FALSE WHERE host_id = ? AND model = ? AND baseline")) {
      ps.setString(1, hostId);
      ps.setString(2, model);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("clearing the baseline", e);
    }
  }

  /** Our purposes beyond the format's (none today) map onto "manual". */
  private static String interchangePurpose(String p) {
    return io.macfleet.controller.interchange.RunPurpose.of(p).isPresent()
        ? p
        : io.macfleet.controller.interchange.RunPurpose.MANUAL.wire();
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime odt(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
