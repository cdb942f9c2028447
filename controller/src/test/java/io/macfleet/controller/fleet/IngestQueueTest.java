package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.PendingReport;
import io.macfleet.controller.store.ReportOutcome;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.controller.store.StorageHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit with paced commits, on a real H2 file database. */
class IngestQueueTest {
  private static PendingReport report(String host, long seq) {
    return new PendingReport(
        host,
        1,
        seq,
        "interval",
        TestController.snapshot("mac-" + host, "0.32.15", "M4"),
        OffsetDateTime.now());
  }

  /** Hosts h0 … h(n-1). */
  private static void enroll(Database db, int n) {
    HostRepository hosts = new HostRepository(db);
    for (int i = 0; i < n; i++) {
      hosts.insert("h" + i, "mac-h" + i, "", "hash" + i, OffsetDateTime.now());
    }
  }

  @Test
  void reportsArrivingWithinTheGapShareOneCommitAndAllAreAcknowledgedAfterIt(@TempDir Path dir)
      throws Exception {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      enroll(db, 21);
      ReportRepository reports = new ReportRepository(db);
      try (IngestQueue queue = new IngestQueue(
          reports,
          new StorageHealth("test", () -> {}, java.time.Clock.systemUTC()),
          100,
          500,
          Duration.ofMillis(400))) {
        // the first report after a quiet spell is committed alone, at once
        assertThat(queue.submit(report("h0", 1)).get(10, TimeUnit.SECONDS).stored())
            .isTrue();
        assertThat(queue.batches()).isEqualTo(1);
        // twenty more right after it wait for the gap to pass and go in one commit together
        List<CompletableFuture<ReportOutcome>> acks = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
          acks.add(queue.submit(report("h" + i, 1)));
        }
        for (CompletableFuture<ReportOutcome> ack : acks) {
          assertThat(ack.get(10, TimeUnit.SECONDS).stored()).isTrue();
        }
        assertThat(queue.batches()).isEqualTo(2);
        assertThat(queue.stored()).isEqualTo(21);
        // acknowledged means committed: every one of them is in the database
        assertThat(reports.count()).isEqualTo(21);
      }
    }
  }

  /**
   * A report that passes validation but that the database refuses (here an OS version longer than its column, built
   * past the validator) fails the whole group commit; the writer then stores the batch one report at a time, so only
   * that host's report is refused — as malformed, so its agent sets it aside — and no other host's is.
   */
  @Test
  void oneBadReportInACommitIsRefusedAloneAndTheOthersAreStored(@TempDir Path dir)
      throws Exception {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      enroll(db, 4);
      ReportRepository reports = new ReportRepository(db);
      StorageHealth storage = new StorageHealth("test", () -> {}, java.time.Clock.systemUTC());
      try (IngestQueue queue =
          new IngestQueue(reports, storage, 100, 500, Duration.ofMillis(400))) {
        queue
            .submit(report("h0", 1))
            .get(10, TimeUnit.SECONDS); // the next ones wait out the gap together
        var snap = TestController.snapshot("mac-h2", "0.32.15", "M4");
        PendingReport bad = new PendingReport(
            "h2",
            1,
            1,
            "interval",
            snap.toBuilder()
                .setIdentity(snap.getIdentity().toBuilder().setOsExtra("x".repeat(300)))
                .build(),
            OffsetDateTime.now());
        CompletableFuture<ReportOutcome> a = queue.submit(report("h1", 1));
        CompletableFuture<ReportOutcome> b = queue.submit(bad);
        CompletableFuture<ReportOutcome> c = queue.submit(report("h3", 1));
        assertThat(a.get(10, TimeUnit.SECONDS).stored()).isTrue();
        assertThat(c.get(10, TimeUnit.SECONDS).stored()).isTrue();
        try {
          b.get(10, TimeUnit.SECONDS);
          throw new AssertionError("the bad report was stored");
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(FleetException.class);
          assertThat(((FleetException) e.getCause()).kind()).isEqualTo(FleetException.Kind.INVALID);
        }
        assertThat(reports.sequences("h1")).containsExactly(1L);
        assertThat(reports.sequences("h3")).containsExactly(1L);
        assertThat(reports.sequences("h2")).isEmpty();
        assertThat(storage.problem())
            .as("one report's data is not a storage failure")
            .isEmpty();
      }
    }
  }

  @Test
  void aReportTheQueueCannotHoldIsRefusedNotDropped(@TempDir Path dir) throws Exception {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      enroll(db, 6);
      ReportRepository reports = new ReportRepository(db);
      try (IngestQueue queue = new IngestQueue(
          reports,
          new StorageHealth("test", () -> {}, java.time.Clock.systemUTC()),
          2,
          500,
          Duration.ofMillis(500))) {
        queue
            .submit(report("h0", 1))
            .get(10, TimeUnit.SECONDS); // the writer now waits out the gap on the next one
        List<CompletableFuture<ReportOutcome>> acks = new ArrayList<>();
        for (int i = 1; i < 6; i++) {
          acks.add(queue.submit(report("h" + i, 1)));
        }
        int refused = 0;
        for (CompletableFuture<ReportOutcome> ack : acks) {
          try {
            assertThat(ack.get(10, TimeUnit.SECONDS).stored()).isTrue();
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause())
                .isInstanceOf(FleetException.class)
                .hasMessageContaining("retry later");
            refused++;
          }
        }
        // at most one waits in the writer's hand and two fit the queue: the rest are told to retry,
        // none vanishes
        assertThat(refused).isBetween(2, 3);
        assertThat(queue.stored() + refused).isEqualTo(6); // h0 and the five after it
        assertThat(reports.count()).isEqualTo(queue.stored());
      }
    }
  }
}
