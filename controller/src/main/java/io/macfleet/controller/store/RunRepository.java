package io.macfleet.controller.store;

import io.macfleet.proto.v1.LevelResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Probe runs and their per-level results. A status only moves forward; a late message cannot undo a verdict. */
public final class RunRepository {
  private final DataSource ds;
  private final Dialect dialect;

  public RunRepository(Database db) {
    this.ds = db.dataSource();
    this.dialect = db.dialect();
  }

  public void insert(
      String id,
      String hostId,
      String model,
      String purpose,
      RunStatus status,
      String reason,
      OffsetDateTime at,
      byte[] spec) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO runs (id, host_id, "
                + "model, purpose, status, reason, requested_at, spec, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, hostId);
      ps.setString(3, model);
      ps.setString(4, purpose);
      ps.setString(5, status.wire());
      ps.setString(6, reason);
      ps.setObject(7, at);
      ps.setBytes(8, spec);
      ps.setObject(9, status.ended() ? at : null);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("recording run " + id, e);
    }
  }

  /** A control replay's link to the run it was started for. */
  public void linkTo(String id, String forRun) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE runs SET for_run = ? WHERE id = ?")) {
      ps.setString(1, forRun);
      ps.setString(2, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("linking run " + id, e);
    }
  }

  /** Runs started for another run (its control replays). */
  public List<String> replaysFor(String forRun) {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE for_run = ?")) {
      ps.setString(1, forRun);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading the replays of run " + forRun, e);
    }
  }

  public String forRun(String id) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT for_run FROM runs WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("reading run " + id, e);
    }
  }

  /** requested → running; returns false when the run was not waiting to start. */
  public boolean markStarted(String id, String hostId, OffsetDateTime at) {
    return update(
        "UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND host_id = ? AND status = 'requested'",
        at,
        id,
        hostId);
  }

  public boolean finish(
      String id,
      String hostId,
      RunStatus status,
      String reason,
      Double ratio,
      String json,
      List<io.macfleet.controller.interchange.LevelSummary> levels,
      OffsetDateTime at) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        int n;
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE runs SET status = ?, reason = ?, ttft_p95_ratio = ?, "
                + "result_json = ?, finished_at = ? WHERE id = ? AND host_id = ? AND status IN ('requested', 'running')")) {
          ps.setString(1, status.wire());
          ps.setString(2, reason.length() > 1024 ? reason.substring(0, 1024) : reason);
          ps.setObject(3, ratio);
          ps.setString(4, json);
          ps.setObject(5, at);
          ps.setString(6, id);
          ps.setString(7, hostId);
          n = ps.executeUpdate();
        }
        if (n == 1) {
          RunLevels.insert(c, id, levels);
        }
        c.commit();
        return n == 1;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("finishing run " + id, e);
    }
  }

  /** Runs still requested or running that were asked for before the cutoff: their agent went away. */
  /** Runs still requested or running that were requested before a time: the sweeper's candidates. */
  public List<RunRow> overdue(OffsetDateTime requestedBefore) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT r.*, h.name AS "
            + "host_name FROM runs r JOIN hosts h ON h.id = r.host_id WHERE r.status IN ('requested', 'running') AND "
            + "r.requested_at < ?")) {
      ps.setObject(1, requestedBefore);
      List<RunRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs, false));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new StoreException("finding overdue runs", e);
    }
  }

  public List<RunRow> list(String hostId, String model, int limit) {
    String sql =
        "SELECT r.*, h.name AS host_name FROM runs r JOIN hosts h ON h.id = r.host_id WHERE 1 = 1"
            + (hostId == null ? "" : " AND r.host_id = ?")
            + (model == null ? "" : " AND r.model = ?")
            + " ORDER BY r.requested_at DESC LIMIT ?";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (hostId != null) {
        ps.setString(i++, hostId);
      }
      if (model != null) {
        ps.setString(i++, model);
      }
      ps.setInt(i, limit);
      List<RunRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs, false));
        }
      }
      return withLevels(c, rows);
    } catch (SQLException e) {
      throw new StoreException("listing runs", e);
    }
  }

  /** Each host's newest completed run of a model that finished at or after since: what a report shows. */
  public List<RunRow> newestDonePerHost(String model, OffsetDateTime since) {
    try (Connection c = ds.getConnection()) {
      List<RunRow> rows = dialect.plansGroupedJoins()
          ? newestByJoin(c, model, since)
          : newestInTwoSteps(c, model, since);
      rows.sort(java.util.Comparator.comparing(RunRow::hostName).thenComparing(RunRow::id));
      List<RunRow> out = new ArrayList<>(rows.size());
      for (int from = 0;
          from < rows.size();
          from += 1000) { // level summaries a thousand runs at a time
        out.addAll(withLevels(c, rows.subList(from, Math.min(rows.size(), from + 1000))));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading the newest runs of " + model, e);
    }
  }

  /** One grouped pass for each host's newest finish, joined to the runs at it (PostgreSQL: 0.6-0.8 s at 420,000 runs). */
  private static List<RunRow> newestByJoin(Connection c, String model, OffsetDateTime since)
      throws SQLException {
    String sql =
        "SELECT r.*, h.name AS host_name FROM runs r JOIN hosts h ON h.id = r.host_id JOIN ("
            + "SELECT host_id, MAX(finished_at) AS newest FROM runs WHERE model = ? AND status = 'done' GROUP BY host_id"
            + ") x ON x.host_id = r.host_id AND r.finished_at = x.newest WHERE r.model = ? AND r.status = 'done' "
            + "AND r.finished_at >= ? ORDER BY r.host_id, r.id";
    List<RunRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, model);
      ps.setString(2, model);
      ps.setObject(3, since);
      java.util.Set<String> hosts = new java.util.HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RunRow r = row(rs, false);
          if (hosts.add(r.hostId())) { // two runs finishing in the same instant: the first one
            rows.add(r);
          }
        }
      }
    }
    return rows;
  }

  /**
   * Each host's newest finish from the (model, host_id, status, finished_at) index alone, then one indexed lookup
   * per host (H2: 0.7 s at 420,000 runs). As one join, H2 sometimes drove it from runs and ran the grouped subquery
   * again for every run: 7-9 s, depending on the plan a pooled connection had cached.
   */
  private static List<RunRow> newestInTwoSteps(Connection c, String model, OffsetDateTime since)
      throws SQLException {
    Map<String, OffsetDateTime> newest = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT host_id, MAX(finished_at) FROM runs WHERE model = ? "
            + "AND status = 'done' GROUP BY host_id")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
          if (at != null && !at.toInstant().isBefore(since.toInstant())) {
            newest.put(rs.getString(1), at);
          }
        }
      }
    }
    List<RunRow> rows = new ArrayList<>(newest.size());
    try (PreparedStatement ps =
        c.prepareStatement("SELECT r.*, h.name AS host_name FROM runs r JOIN hosts h "
            + "ON h.id = r.host_id WHERE r.model = ? AND r.host_id = ? AND r.status = 'done' AND r.finished_at = ? "
            + "ORDER BY r.id")) {
      for (var e : newest.entrySet()) {
        ps.setString(1, model);
        ps.setString(2, e.getKey());
        ps.setObject(3, e.getValue());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) { // two runs finishing in the same instant: the first one
            rows.add(row(rs, false));
          }
        }
      }
    }
    return rows;
  }

  public Optional<RunRow> get(String id) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT r.*, h.name AS host_name FROM runs r JOIN hosts h ON h.id = r.host_id WHERE r.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(withLevels(c, List.of(row(rs, true))).get(0));
      }
    } catch (SQLException e) {
      throw new StoreException("reading run " + id, e);
    }
  }

  private static RunRow row(ResultSet rs, boolean withJson) throws SQLException {
    return new RunRow(
        rs.getString("id"),
        rs.getString("host_id"),
        rs.getString("host_name"),
        rs.getString("model"),
        rs.getString("purpose"),
        rs.getString("status"),
        rs.getString("reason"),
        rs.getObject("requested_at", OffsetDateTime.class),
        rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class),
        rs.getBytes("spec"),
        (Double) rs.getObject("ttft_p95_ratio"),
        withJson ? rs.getString("result_json") : null,
        List.of());
  }

  private static List<RunRow> withLevels(Connection c, List<RunRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<String, List<LevelResult>> levels = new HashMap<>();
    String sql = "SELECT * FROM run_levels WHERE run_id IN ("
        + String.join(",", java.util.Collections.nCopies(rows.size(), "?"))
        + ") ORDER BY concurrency";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < rows.size(); i++) {
        ps.setString(i + 1, rows.get(i).id());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LevelResult.Builder l = LevelResult.newBuilder()
              .setConcurrency(rs.getInt("concurrency"))
              .setSamples(rs.getInt("samples"))
              .setErrors(rs.getInt("errors"));
          Double v;
          if ((v = (Double) rs.getObject("ttft_p50_ms")) != null) {
            l.setTtftP50Ms(v);
          }
          if ((v = (Double) rs.getObject("ttft_p95_ms")) != null) {
            l.setTtftP95Ms(v);
          }
          if ((v = (Double) rs.getObject("ttft_p99_ms")) != null) {
            l.setTtftP99Ms(v);
          }
          if ((v = (Double) rs.getObject("prefill_p50_tps")) != null) {
            l.setPrefillP50Tps(v);
          }
          if ((v = (Double) rs.getObject("decode_p50_tps")) != null) {
            l.setDecodeP50Tps(v);
          }
          levels.computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>()).add(l.build());
        }
      }
    }
    List<RunRow> out = new ArrayList<>();
    for (RunRow r : rows) {
      out.add(new RunRow(
          r.id(),
          r.hostId(),
          r.hostName(),
          r.model(),
          r.purpose(),
          r.status(),
          r.reason(),
          r.requestedAt(),
          r.startedAt(),
          r.finishedAt(),
          r.spec(),
          r.ttftP95Ratio(),
          r.resultJson(),
          levels.getOrDefault(r.id(), List.of())));
    }
    return out;
  }

  private boolean update(String sql, OffsetDateTime at, String id, String hostId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, at);
      ps.setString(2, id);
      ps.setString(3, hostId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("updating run " + id, e);
    }
  }
}
