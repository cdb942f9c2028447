package io.macfleet.bench;

import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.DatabaseUrl;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.PendingReport;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.controller.store.Retention;
import io.macfleet.proto.v1.HostSnapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * Does the retention purge stall ingest? HOSTS hosts with OLD reports each, received 40 days ago, then the report
 * writer stores RATE reports/s in batches (as the ingest writer does) for SECONDS, with the purge (the controller's
 * own: batches of 500, 20 ms apart) started after a third of them. Prints the writer's commit time percentiles
 * before the purge, while it runs and after, and how fast the purge deleted.
 *
 * Usage: RetentionLoad DATA_DIR HOSTS OLD RATE SECONDS   ($BENCH_DB=postgresql://… for PostgreSQL)
 */
public final class RetentionLoad {
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int hosts = Integer.parseInt(args[1]);
    int old = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    String pg = System.getenv("BENCH_DB");
    try (Database db = pg == null
        ? Database.open(Database.h2Url(dataDir), "", "", 4)
        : Database.open(
            DatabaseUrl.jdbc(pg), DatabaseUrl.user(null), DatabaseUrl.password(null), 4)) {
      HostRepository hostRepo = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      List<String> ids = new ArrayList<>();
      List<HostSnapshot> snaps = new ArrayList<>();
      for (int i = 0; i < hosts; i++) {
        String id = UUID.randomUUID().toString();
        hostRepo.insert(id, String.format("ret-%05d", i), "RET-" + i, "hash" + i, now);
        ids.add(id);
        snaps.add(IngestLoad.snapshot(String.format("ret-%05d", i)));
      }
      long[] seqs = new long[hosts];
      long t0 = System.nanoTime();
      OffsetDateTime then = now.minusDays(40);
      for (int round = 0; round < old; round++) {
        List<PendingReport> batch = new ArrayList<>(hosts);
        for (int h = 0; h < hosts; h++) {
          batch.add(new PendingReport(ids.get(h), 1, ++seqs[h], "interval", snaps.get(h), then));
        }
        reports.storeBatch(batch);
      }
      System.out.printf(
          "filled: %d hosts × %d reports received 40 days ago in %.1f s (%s)%n",
          hosts, old, (System.nanoTime() - t0) / 1e9, pg == null ? "embedded H2" : "PostgreSQL");

      Retention retention = new Retention(
          db, Retention.Policy.defaults(), Clock.systemUTC(), 500, Duration.ofMillis(20));
      Histogram before = new Histogram(3);
      Histogram during = new Histogram(3);
      Histogram after = new Histogram(3);
      AtomicBoolean purging = new AtomicBoolean();
      AtomicBoolean purged = new AtomicBoolean();
      long[] purgeNanos = new long[1];
      Retention.Purged[] result = new Retention.Purged[1];
      Thread purge = new Thread(
          () -> {
            purging.set(true);
            long p0 = System.nanoTime();
            result[0] = retention.purge();
            purgeNanos[0] = System.nanoTime() - p0;
            purging.set(false);
            purged.set(true);
          },
          "purge");
      int batchSize = Math.max(1, rate / 200); // a commit every 5 ms, as paced commits do
      long gapNanos = 1_000_000_000L * batchSize / rate;
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      long next = start;
      int h = 0;
      long stored = 0;
      while (System.nanoTime() < end) {
        if (!purge.isAlive() && !purged.get() && System.nanoTime() - start > (end - start) / 3) {
          purge.start();
        }
        List<PendingReport> batch = new ArrayList<>(batchSize);
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
        for (int k = 0; k < batchSize; k++) {
          batch.add(new PendingReport(ids.get(h), 1, ++seqs[h], "interval", snaps.get(h), at));
          h = (h + 1) % hosts;
        }
        long c0 = System.nanoTime();
        reports.storeBatch(batch);
        long took = System.nanoTime() - c0;
        stored += batchSize;
        (purging.get() ? during : purged.get() ? after : before)
            .recordValue(Math.max(1, took / 1000));
        next += gapNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
      purge.join();
      System.out.printf(
          "writer: %d reports in batches of %d (%d/s offered)%n", stored, batchSize, rate);
      print("before the purge", before);
      print("during the purge", during);
      print("after the purge", after);
      System.out.printf(
          "purge: %d old reports deleted in %.1f s (%.0f/s); each host's newest report is never deleted%n",
          result[0].reports(), purgeNanos[0] / 1e9, result[0].reports() / (purgeNanos[0] / 1e9));
    }
  }

  private static void print(String what, Histogram h) {
    if (h.getTotalCount() == 0) {
      System.out.printf("  commit %-17s none%n", what);
      return;
    }
    System.out.printf(
        "  commit %-17s n=%-6d p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms%n",
        what,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
  }
}
