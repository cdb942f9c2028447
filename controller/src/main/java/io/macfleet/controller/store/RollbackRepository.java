package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import javax.sql.DataSource;

/** Finished rollback ladders, one row each, written once. */
public final class RollbackRepository {
  private final DataSource ds;

  public RollbackRepository(Database db) {
    this.ds = db.dataSource();
  }

  public record Row(
      String id,
      String host,
      String model,
      String policy,
      String actor,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      String outcome,
      String ollamaVersion,
      String digestBefore,
      String digestAfter,
      String osBuild,
      String probeRun,
      String verdict,
      String stepsJson) {}

  public void insert(Row r) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO rollbacks (id, host, "
                + "model, policy, actor, started_at, finished_at, outcome, ollama_version, digest_before, digest_after, os_build, "
                + "probe_run, verdict, steps_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.id());
      ps.setString(2, r.host());
      ps.setString(3, r.model());
      ps.setString(4, r.policy());
      ps.setString(5, r.actor().length() > 200 ? r.actor().substring(0, 200) : r.actor());
      ps.setObject(6, r.startedAt());
      ps.setObject(7, r.finishedAt());
      ps.setString(8, r.outcome());
      ps.setString(9, r.ollamaVersion());
      ps.setString(10, r.digestBefore());
      ps.setString(11, r.digestAfter());
      ps.setString(12, r.osBuild());
      ps.setString(13, r.probeRun());
      ps.setString(14, r.verdict());
      ps.setString(15, r.stepsJson());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("recording rollback " + r.id(), e);
    }
  }
}
