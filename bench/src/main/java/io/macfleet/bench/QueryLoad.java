package io.macfleet.bench;

import io.macfleet.controller.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * Fills a fleet database for the query benchmark: HOSTS hosts (two models each, labels) and SAMPLES probe samples
 * in runs of 24 with their level summaries, written straight through JDBC in batches (the ingest path is measured
 * by IngestLoad; this is about reading a big fleet back).
 *   QueryLoad JDBC_URL USER PASSWORD HOSTS SAMPLES
 */
public final class QueryLoad {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int hosts = Integer.parseInt(args[3]);
    long samples = Long.parseLong(args[4]);
    int runsPerHost = (int) Math.max(1, (samples + hosts * 24L - 1) / (hosts * 24L));
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Random rnd = new Random(11);
    long t0 = System.nanoTime();
    try (Database db = Database.open(url, args[1], args[2], 2);
        Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement h = c.prepareStatement(
              "INSERT INTO hosts (id, name, hardware_uuid, node_key_hash, epoch, "
                  + "enrolled_at, report_interval_s, chip, chip_generation, memory_bytes, os_name, os_version, "
                  + "os_build, ollama_version, ollama_state) VALUES (?, ?, '', ?, 1, ?, 15, 'Apple M4 Pro', 'M4', "
                  + "51539607552, 'macOS', '15.4.1', '24E263', '0.19.0', 'up')");
          PreparedStatement p =
              c.prepareStatement("INSERT INTO host_progress (host_id, epoch, last_seq, last_seen) "
                  + "VALUES (?, 1, 0, ?)");
          PreparedStatement l =
              c.prepareStatement("INSERT INTO host_labels (host_id, k, v) VALUES (?, 'role', ?)");
          PreparedStatement m = c.prepareStatement(
              "INSERT INTO host_models (host_id, name, digest, size_bytes, format, "
                  + "quantization, family, backend, loaded) VALUES (?, ?, ?, 21474836480, ?, ?, '', ?, TRUE)")) {
        for (int i = 0; i < hosts; i++) {
          String id = String.format("h-%08d", i);
          h.setString(1, id);
          h.setString(2, String.format("mac-%05d", i));
          h.setString(3, "bench-" + i);
          h.setObject(4, now.minusDays(60));
          h.addBatch();
          p.setString(1, id);
          p.setObject(2, now.minusSeconds(rnd.nextInt(40)));
          p.addBatch();
          l.setString(1, id);
          l.setString(2, i % 10 == 0 ? "control" : "fleet");
          l.addBatch();
          m.setString(1, id);
          m.setString(2, "qwen3.6:35b-a3b-nvfp4");
          m.setString(3, "1".repeat(64));
          m.setString(4, "safetensors");
          m.setString(5, "nvfp4");
          m.setString(6, "mlx");
          m.addBatch();
          m.setString(1, id);
          m.setString(2, "llama3.2:latest");
          m.setString(3, "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72");
          m.setString(4, "gguf");
          m.setString(5, "Q4_K_M");
          m.setString(6, "llama.cpp");
          m.addBatch();
        }
        h.executeBatch();
        p.executeBatch();
        l.executeBatch();
        m.executeBatch();
        c.commit();
      }
      long written = 0;
      try (PreparedStatement r =
              c.prepareStatement("INSERT INTO runs (id, host_id, model, purpose, status, reason, "
                  + "requested_at, started_at, finished_at, ended_at, spec, digest, ollama_version, os_build, backend, prompt_set)"
                  + " VALUES (?, ?, 'qwen3.6:35b-a3b-nvfp4', 'scheduled', 'done', '', ?, ?, ?, ?, ?, ?, '0.19.0', '24E263', "
                  + "'mlx', 'coding')");
          PreparedStatement lv =
              c.prepareStatement("INSERT INTO run_levels (run_id, concurrency, samples, errors, "
                  + "ttft_p50_ms, ttft_p95_ms, ttft_p99_ms, prefill_p50_tps, decode_p50_tps) VALUES (?, 1, 24, 0, ?, ?, ?, "
                  + "?, ?)");
          PreparedStatement s =
              c.prepareStatement("INSERT INTO samples (run_id, n, at, concurrency, cold, ttft_ms, "
                  + "prefill_tps, decode_tps, e2e_ms) VALUES (?, ?, ?, 1, FALSE, ?, ?, ?, ?)")) {
        for (int i = 0; i < hosts; i++) {
          String hostId = String.format("h-%08d", i);
          for (int k = 0; k < runsPerHost; k++) {
            String runId = String.format("r-%08d-%04d", i, k);
            OffsetDateTime at = now.minusHours((long) runsPerHost - k);
            r.setString(1, runId);
            r.setString(2, hostId);
            r.setObject(3, at);
            r.setObject(4, at);
            r.setObject(5, at.plusMinutes(4));
            r.setObject(6, at.plusMinutes(4));
            r.setBytes(7, new byte[0]);
            r.setString(8, "1".repeat(64));
            r.addBatch();
            double base = 200 * (1 + 0.05 * rnd.nextGaussian());
            lv.setString(1, runId);
            lv.setDouble(2, base);
            lv.setDouble(3, base * 1.15);
            lv.setDouble(4, base * 1.3);
            lv.setDouble(5, 1800);
            lv.setDouble(6, 110);
            lv.addBatch();
            for (int n = 0; n < 24; n++) {
              s.setString(1, runId);
              s.setInt(2, n);
              s.setObject(3, at.plusSeconds(n * 5L));
              s.setDouble(4, base * Math.exp(0.08 * rnd.nextGaussian()));
              s.setDouble(5, 1800 * (1 + 0.04 * rnd.nextGaussian()));
              s.setDouble(6, 110 * (1 + 0.03 * rnd.nextGaussian()));
              s.setDouble(7, 4000);
              s.addBatch();
            }
            written += 24;
          }
          if (i % 50 == 49 || i == hosts - 1) {
            r.executeBatch();
            lv.executeBatch();
            s.executeBatch();
            c.commit();
          }
          if (i % 1000 == 999) {
            System.out.printf(
                "  %,d hosts, %,d samples written (%.0f s)%n",
                i + 1, written, (System.nanoTime() - t0) / 1e9);
          }
        }
      }
      System.out.printf(
          "filled: %,d hosts, %,d runs, %,d samples in %.0f s%n",
          hosts, (long) hosts * runsPerHost, written, (System.nanoTime() - t0) / 1e9);
    }
  }
}
