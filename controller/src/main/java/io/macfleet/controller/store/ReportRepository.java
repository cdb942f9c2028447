package io.macfleet.controller.store;

import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Stores reports. A batch is one transaction, so a whole batch of acknowledgements waits on one
 * commit (group commit). A (host, epoch, seq) already stored is a duplicate and changes nothing.
 */
public final class ReportRepository {
  private final DataSource ds;

  public ReportRepository(Database db) {
    this.ds = db.dataSource();
  }

  /** Returns, per input report in order, true when stored and false when it was a duplicate. */
  public boolean[] storeBatch(List<PendingReport> batch) {
    boolean[] stored = new boolean[batch.size()];
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<String, PendingReport> newest = new HashMap<>();
        try (PreparedStatement exists = c.prepareStatement(
                "SELECT 1 FROM reports WHERE host_id = ? AND epoch = ? AND seq = ?");
            PreparedStatement insert = c.prepareStatement("INSERT INTO reports (host_id, epoch, seq, received_at, "
                + "collected_at, reason, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          java.util.Set<String> inBatch = new java.util.HashSet<>();
          for (int i = 0; i < batch.size(); i++) {
            PendingReport r = batch.get(i);
            String key = r.hostId() + "/" + r.epoch() + "/" + r.seq();
            if (!inBatch.add(key) || present(exists, r)) {
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
            newest.merge(r.hostId(), r, (a, b) -> b.seq() > a.seq() ? b : a);
          }
          insert.executeBatch();
        }
        for (PendingReport r : newest.values()) {
          updateHost(c, r);
        }
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

  /** Sequence numbers stored for a host, oldest first (for tests and audits). */
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

  private static boolean present(PreparedStatement exists, PendingReport r) throws SQLException {
    exists.setString(1, r.hostId());
    exists.setInt(2, r.epoch());
    exists.setLong(3, r.seq());
    try (ResultSet rs = exists.executeQuery()) {
      return rs.next();
    }
  }

  /** The host's headline facts follow its newest report; an older one arriving late only adds history. */
  private static void updateHost(Connection c, PendingReport r) throws SQLException {
    HostSnapshot s = r.snapshot();
    HostIdentity id = s.getIdentity();
    int updated;
    try (PreparedStatement ps = c.prepareStatement("UPDATE hosts SET last_seen = ?, last_seq = ?, "
        + "report_interval_s = ?, chip = ?, chip_generation = ?, memory_bytes = ?, os_name = ?, os_version = ?, "
        + "os_build = ?, ollama_version = ?, ollama_state = ?, snapshot = ? "
        + "WHERE id = ? AND epoch = ? AND last_seq < ?")) {
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
      ps.setBytes(12, s.toByteArray());
      ps.setString(13, r.hostId());
      ps.setInt(14, r.epoch());
      ps.setLong(15, r.seq());
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      return;
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM host_models WHERE host_id = ?")) {
      del.setString(1, r.hostId());
      del.executeUpdate();
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO host_models (host_id, name, digest, size_bytes, "
        + "format, quantization, family, backend, loaded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ModelInfo m : s.getOllama().getModelsList()) {
        ins.setString(1, r.hostId());
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
      ins.executeBatch();
    }
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
