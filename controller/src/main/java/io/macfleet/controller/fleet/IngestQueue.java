package io.macfleet.controller.fleet;

import io.macfleet.controller.store.PendingReport;
import io.macfleet.controller.store.ReportOutcome;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.controller.store.StorageHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread drains waiting reports into a single transaction and completes
 * their acknowledgements only after the commit. Many agents then share one commit instead of
 * paying for one each, and no acknowledgement ever precedes durability.
 *
 * Commits are paced: a batch starts no sooner than {@code minCommitGap} after the previous one started. A commit
 * has a fixed cost (H2 writes a new chunk with the root pages of every changed table, PostgreSQL flushes its WAL),
 * so a writer that commits whenever a report is waiting spends most of its time on commits of two or three
 * reports once the fleet is large: at 5,000 reports/s from 10,000 agents that was 0.7 of a core. With a gap of a
 * few milliseconds a report waits at most that long more, and only while reports keep coming; a report that
 * arrives after a quiet spell is committed at once.
 */
public final class IngestQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestQueue.class);

  private record Item(PendingReport report, CompletableFuture<ReportOutcome> done) {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private static final long SLOW_COMMIT_NANOS = 50_000_000L;

  private final ReportRepository reports;
  private final StorageHealth storage;
  private final BlockingQueue<Item> queue;
  private final int maxBatch;
  private final long minCommitGapNanos;
  private final Thread writer;
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong storeNanos = new AtomicLong();
  private long maxBatchNanos;
  private int maxBatchSize;
  private volatile boolean running = true;
  private long lastStatsLog = System.nanoTime();
  private long lastEnd;
  private long windowBatches;
  private long windowReports;
  private long windowNanos;

  public IngestQueue(
      ReportRepository reports,
      StorageHealth storage,
      int capacity,
      int maxBatch,
      java.time.Duration minCommitGap) {
    this.reports = reports;
    this.storage = storage;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.minCommitGapNanos = minCommitGap.toNanos();
    this.writer = new Thread(this::drain, "ingest-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Completes with what became of the report once that is durable; fails when it could not be stored. */
  public CompletableFuture<ReportOutcome> submit(PendingReport r) {
    CompletableFuture<ReportOutcome> f = new CompletableFuture<>();
    if (!running || !queue.offer(new Item(r, f))) {
      f.completeExceptionally(new FleetException(
          FleetException.Kind.UNAVAILABLE, "controller is overloaded or stopping; retry later"));
    }
    return f;
  }

  public long stored() {
    return stored.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  /** Commits so far (each stores one batch). */
  public long batches() {
    return batches.get();
  }

  private void drain() {
    List<Item> batch = new ArrayList<>(maxBatch);
    long lastStart = System.nanoTime() - minCommitGapNanos;
    lastEnd = System.nanoTime();
    while (running || !queue.isEmpty()) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        long early = lastStart + minCommitGapNanos - System.nanoTime();
        if (early > 0 && running) {
          java.util.concurrent.locks.LockSupport.parkNanos(
              early); // let more reports join this commit
        }
        lastStart = System.nanoTime();
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        List<PendingReport> pending = new ArrayList<>(batch.size());
        batch.forEach(i -> pending.add(i.report()));
        try {
          long t0 = System.nanoTime();
          boolean debug = log.isDebugEnabled();
          long cpu0 = debug ? THREADS.getCurrentThreadCpuTime() : 0;
          ReportOutcome[] result = reports.storeBatch(pending);
          long took = System.nanoTime() - t0;
          if (debug && took > SLOW_COMMIT_NANOS) {
            logSlow(batch.size(), took, THREADS.getCurrentThreadCpuTime() - cpu0, t0 - lastEnd);
          }
          storage.succeeded();
          storeNanos.addAndGet(took);
          maxBatchNanos = Math.max(maxBatchNanos, took);
          maxBatchSize = Math.max(maxBatchSize, batch.size());
          batches.incrementAndGet();
          logStats();
          for (int i = 0; i < batch.size(); i++) {
            (result[i].stored() ? stored : duplicates).incrementAndGet();
            batch.get(i).done().complete(result[i]);
          }
        } catch (RuntimeException e) {
          log.warn("could not store {} report(s)", batch.size(), e);
          if (batch.size() > 1 && reportsOwnFault(e)) {
            storeOneByOne(
                batch); // one host's bad report must not refuse every other host's in its commit
          } else {
            batch.forEach(i -> refuse(i, e));
          }
        }
        batch.clear();
        lastEnd = System.nanoTime();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Item left;
    while ((left = queue.poll()) != null) {
      left.done()
          .completeExceptionally(
              new FleetException(FleetException.Kind.UNAVAILABLE, "controller stopping"));
    }
  }

  /** After a batch failed on a report's own data: each report in a commit of its own, so only the bad one fails. */
  private void storeOneByOne(List<Item> batch) {
    for (Item i : batch) {
      try {
        ReportOutcome outcome = reports.storeBatch(List.of(i.report()))[0];
        storage.succeeded();
        (outcome.stored() ? this.stored : duplicates).incrementAndGet();
        i.done().complete(outcome);
      } catch (RuntimeException e) {
        refuse(i, e);
      }
    }
  }

  /**
   * A report that could not be stored: refused as malformed when its own data is at fault (the agent sets it aside
   * instead of retrying it forever), else the storage is failing (StorageHealth) and the agent retries later.
   */
  private void refuse(Item i, RuntimeException e) {
    if (reportsOwnFault(e)) {
      String why = Names.printable(io.macfleet.controller.store.StorageHealth.cause(e));
      log.warn(
          "refused report {} of host {}: it could not be stored ({})",
          i.report().seq(),
          i.report().hostId(),
          why);
      i.done()
          .completeExceptionally(new FleetException(
              FleetException.Kind.INVALID, "report could not be stored: " + why));
    } else {
      storage.failed(e); // logged once a minute, however many batches fail
      // nothing was acknowledged; agents keep the reports and retry
      i.done()
          .completeExceptionally(
              new FleetException(FleetException.Kind.UNAVAILABLE, "storage failed; retry later"));
    }
  }

  /**
   * Whether a failure is the report's own: a value the database refuses (SQLSTATE class 22, data exception; 23,
   * integrity constraint) or a time Java cannot represent — as opposed to the database being unreachable or full.
   */
  static boolean reportsOwnFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.time.DateTimeException || t instanceof ArithmeticException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql) {
        for (java.sql.SQLException x = sql; x != null; x = x.getNextException()) {
          String state = x.getSQLState();
          if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * A commit slower than {@link #SLOW_COMMIT_NANOS}, at debug level, with the writer's own CPU time in it and the
   * time since the previous commit ended. Wall time far above CPU time means the writer waited (for a core, a
   * collector pause or the disk), not that the database did more work; a long time since the previous commit with
   * a full batch means the writer was not running while reports queued.
   */
  private static void logSlow(int size, long wallNanos, long cpuNanos, long sincePreviousNanos) {
    log.debug(
        "slow commit: {} report(s) in {} ms, {} ms of it the writer's CPU; {} ms since the previous commit",
        size,
        wallNanos / 1_000_000,
        cpuNanos / 1_000_000,
        sincePreviousNanos / 1_000_000);
  }

  /** The writer's figures over the last 5 s, at debug level, for sizing a controller. */
  private void logStats() {
    long now = System.nanoTime();
    if (log.isDebugEnabled() && now - lastStatsLog > 5_000_000_000L) {
      long b = batches.get() - windowBatches;
      long n = stored.get() + duplicates.get() - windowReports;
      long ns = storeNanos.get() - windowNanos;
      log.debug(
          "ingest: {} stored, {} duplicates in all; last {} s: {} batches of {} on average, {} ms each on "
              + "average, slowest {} ms, largest {}, {} waiting",
          stored.get(),
          duplicates.get(),
          (now - lastStatsLog) / 1_000_000_000L,
          b,
          b == 0 ? 0 : n / b,
          b == 0 ? 0 : String.format("%.1f", ns / 1e6 / b),
          maxBatchNanos / 1_000_000,
          maxBatchSize,
          queue.size());
      windowBatches += b;
      windowReports += n;
      windowNanos += ns;
      maxBatchNanos = 0;
      maxBatchSize = 0;
      lastStatsLog = now;
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info(
        "ingest stopped: {} report(s) stored, {} duplicate(s) since start{}",
        stored.get(),
        duplicates.get(),
        writer.isAlive() ? "; the writer is still busy" : "");
  }
}
