package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction of the append-only H2 file: live data kept, the file shrunk, writers paused rather than failed. */
class H2CompactionTest {
  @TempDir
  Path dir;

  private static final HostSnapshot SNAP = TestController.snapshot(
      "mac-a",
      "0.32.15",
      "M4",
      ModelInfo.newBuilder().setName("qwen:1").setDigest("b".repeat(64)).build());

  @Test
  void compactionWhileRunningKeepsEveryReportAndWritersOnlyWait() throws Exception {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 4)) {
      new HostRepository(db).insert("h1", "mac-a", "UUID-1", "hash1", OffsetDateTime.now());
      ReportRepository reports = new ReportRepository(db);
      for (long seq = 1;
          seq <= 1500;
          seq++) { // one commit each: with REUSE_SPACE=FALSE each is appended
        reports.storeBatch(
            List.of(new PendingReport("h1", 1, seq, "interval", SNAP, OffsetDateTime.now())));
      }
      long grown = Files.size(Database.h2File(dir));

      AtomicLong seq = new AtomicLong(1500);
      AtomicReference<Throwable> writerFailure = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 300; i++) {
            reports.storeBatch(List.of(new PendingReport(
                "h1", 1, seq.incrementAndGet(), "interval", SNAP, OffsetDateTime.now())));
          }
        } catch (Throwable t) {
          writerFailure.set(t);
        }
      });
      writer.start();
      var result =
          db.offline(Duration.ofSeconds(10), () -> H2Compaction.compact(dir)).orElseThrow();
      writer.join(60_000);

      assertThat(writerFailure.get())
          .as("a writer during compaction waits, it does not fail")
          .isNull();
      assertThat(result.bytesBefore()).isGreaterThanOrEqualTo(grown);
      assertThat(result.bytesAfter()).as("compacted size").isLessThan(result.bytesBefore() / 2);
      assertThat(H2Compaction.lastCompactedSize(dir)).contains(result.bytesAfter());
      assertThat(reports.sequences("h1")).hasSize(1800).doesNotHaveDuplicates();
    }
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      assertThat(new ReportRepository(db).sequences("h1")).hasSize(1800);
    }
  }

  @Test
  void dueOnlyWhenTheFileHasGrownPastItsLastCompactedSize() throws Exception {
    assertThat(H2Compaction.due(dir)).as("no file").isFalse();
    Files.write(Database.h2File(dir), new byte[1024]);
    assertThat(H2Compaction.due(dir)).as("under the minimum").isFalse();
  }
}
