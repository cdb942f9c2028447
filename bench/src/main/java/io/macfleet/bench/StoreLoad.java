package io.macfleet.bench;

import com.google.protobuf.Timestamp;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.DatabaseUrl;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.PendingReport;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.proto.v1.HostSnapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The report writer alone, without gRPC or TLS: N enrolled hosts, each reporting in turn, stored in batches
 * of B as the ingest writer stores them, as fast as the database takes them. Hosts come in a new random
 * order every round, as agents reporting at random phases do (a batch of hosts in insertion order would touch
 * only a few neighbouring pages of the host table and flatter the database). Prints the writer's ceiling in
 * reports/s, the batch time percentiles and the writer's CPU per report — what is left for the network once
 * the database is paid.
 *
 * With -Dstoreload.byKey=true hosts come in the order of their key instead, every round the same: what the writer
 * would cost if hosts reported in the order their progress rows are stored, each batch touching neighbouring pages.
 *
 * Usage: StoreLoad DATA_DIR HOSTS BATCH SECONDS   ($BENCH_DB=postgresql://… for PostgreSQL)
 */
public final class StoreLoad {
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int hosts = Integer.parseInt(args[1]);
    int batchSize = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String pg = System.getenv("BENCH_DB");
    try (Database db = pg == null
        ? Database.open(Database.h2Url(dataDir), "", "", 4)
        : Database.open(
            DatabaseUrl.jdbc(pg), DatabaseUrl.user(null), DatabaseUrl.password(null), 4)) {
      HostRepository hostRepo = new HostRepository(db);
      List<String> ids = new ArrayList<>();
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      for (int i = 0; i < hosts; i++) {
        String id = UUID.randomUUID().toString();
        hostRepo.insert(id, String.format("store-%05d", i), "STORE-" + i, "hash" + i, now);
        ids.add(id);
      }
      ReportRepository reports = new ReportRepository(db);
      long[] seqs = new long[hosts];
      List<HostSnapshot> bases = new ArrayList<>();
      for (int i = 0; i < hosts; i++) {
        bases.add(IngestLoad.snapshot(String.format("store-%05d", i)));
      }
      System.out.printf(
          "snapshot %d bytes; %d hosts, batches of %d, %d s, database: %s%n",
          bases.get(0).getSerializedSize(),
          hosts,
          batchSize,
          seconds,
          pg == null ? "embedded H2" : pg);
      org.HdrHistogram.Histogram batchMs = new org.HdrHistogram.Histogram(3);
      int[] order = BY_KEY
          ? java.util.stream.IntStream.range(0, hosts)
              .boxed()
              .sorted(java.util.Comparator.comparing(ids::get))
              .mapToInt(Integer::intValue)
              .toArray()
          : java.util.stream.IntStream.range(0, hosts).toArray();
      java.util.Random random = new java.util.Random(42);
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      int next = 0;
      long stored = 0;
      long writerCpu = 0;
      long prepareCpu = 0;
      long warmupEnd = System.nanoTime() + 10_000_000_000L;
      long end = warmupEnd + seconds * 1_000_000_000L;
      long measuredStart = 0;
      long measured = 0;
      while (System.nanoTime() < end) {
        long c0 = threads.getCurrentThreadCpuTime();
        List<PendingReport> batch = new ArrayList<>(batchSize);
        Instant at = Instant.now();
        for (int k = 0; k < batchSize; k++) {
          if (next == 0 && !BY_KEY) {
            shuffle(order, random);
          }
          int h = order[next];
          next = (next + 1) % hosts;
          batch.add(new PendingReport(
              ids.get(h),
              1,
              ++seqs[h],
              "interval",
              bases.get(h).toBuilder()
                  .setCollectedAt(
                      Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                  .build(),
              at.atOffset(ZoneOffset.UTC)));
        }
        long c1 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        var ok = reports.storeBatch(batch);
        long t1 = System.nanoTime();
        long c2 = threads.getCurrentThreadCpuTime();
        for (var b : ok) {
          stored += b.stored() ? 1 : 0;
        }
        if (t0 >= warmupEnd) {
          if (measuredStart == 0) {
            measuredStart = t0;
          }
          measured += batch.size();
          prepareCpu += c1 - c0;
          writerCpu += c2 - c1;
          batchMs.recordValue(Math.max(1, (t1 - t0) / 1000));
        }
      }
      double s = (System.nanoTime() - measuredStart) / 1e9;
      // The writer's CPU is storeBatch alone (H2 works in it; PostgreSQL's server works in its own
      // processes, not
      // counted). Building a PendingReport (serializing the snapshot, its facts and headline) is
      // what a
      // controller's network threads do before queueing, shown apart; the bench's snapshot building
      // is in it.
      double cpuUs = writerCpu / 1e3 / Math.max(1, measured);
      System.out.printf(
          "writer: %.0f reports/s; batch ms p50 %.1f  p99 %.1f  max %.1f; writer thread CPU %.1f µs "
              + "per report (preparing a report on the receiving thread: %.1f µs); stored %d of %d sent%n",
          measured / s,
          batchMs.getValueAtPercentile(50) / 1000.0,
          batchMs.getValueAtPercentile(99) / 1000.0,
          batchMs.getMaxValue() / 1000.0,
          cpuUs,
          prepareCpu / 1e3 / Math.max(1, measured),
          stored,
          java.util.Arrays.stream(seqs).sum());
    }
  }

  private static final boolean BY_KEY = Boolean.getBoolean("storeload.byKey");

  private static void shuffle(int[] a, java.util.Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
