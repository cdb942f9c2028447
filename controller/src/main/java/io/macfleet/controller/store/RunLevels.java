package io.macfleet.controller.store;

import io.macfleet.controller.interchange.LevelSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The one place `run_levels` rows are written, in the caller's transaction. */
final class RunLevels {
  private RunLevels() {}

  static void insert(Connection c, String runId, List<LevelSummary> levels) throws SQLException {
    if (levels.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO run_levels (run_id, concurrency, samples, errors, "
            + "ttft_p50_ms, ttft_p95_ms, ttft_p99_ms, prefill_p50_tps, decode_p50_tps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (LevelSummary l : levels) {
        ps.setString(1, runId);
        ps.setInt(2, l.concurrency());
        ps.setInt(3, l.samples());
        ps.setInt(4, l.errors());
        ps.setObject(5, l.ttftP50Ms());
        ps.setObject(6, l.ttftP95Ms());
        ps.setObject(7, l.ttftP99Ms());
        ps.setObject(8, l.prefillP50Tps());
        ps.setObject(9, l.decodeP50Tps());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
