package io.macfleet.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.proto.v1.ReportRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSpoolTest {
  private static ReportRequest report(long seq) {
    return ReportRequest.newBuilder().setHostId("h").setSeq(seq).build();
  }

  @Test
  void deliversOldestFirstAndSurvivesReopening(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 100);
    for (long i = 1; i <= 5; i++) {
      s.append(report(i));
    }
    assertThat(s.peek(0)).map(ReportRequest::getSeq).contains(1L);
    s.remove(1);
    ReportSpool reopened = new ReportSpool(dir, 100);
    assertThat(reopened.size()).isEqualTo(4);
    assertThat(reopened.peek(0)).map(ReportRequest::getSeq).contains(2L);
    assertThat(reopened.highestSeq()).isEqualTo(5);
  }

  @Test
  void whenFullDropsTheOldestAndCountsIt(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 3);
    for (long i = 1; i <= 5; i++) {
      s.append(report(i));
    }
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.dropped()).isEqualTo(2);
    assertThat(s.peek(0)).map(ReportRequest::getSeq).contains(3L);
    assertThat(new ReportSpool(dir, 3).dropped()).isEqualTo(2);
  }

  @Test
  void aDamagedFileIsQuarantinedNotRetriedForever(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 10);
    s.append(report(1));
    s.append(report(2));
    Files.write(
        dir.resolve(String.format("%020d.report", 1)), new byte[] {(byte) 0xff, 0x01, 0x02});
    assertThat(s.peek(0)).map(ReportRequest::getSeq).contains(2L);
    assertThat(dir.resolve("rejected").resolve(String.format("%020d.report", 1)))
        .exists();
    assertThat(Files.readString(
            dir.resolve("rejected").resolve(String.format("%020d.report.reason", 1))))
        .contains("unreadable");
  }

  @Test
  void aFlippedBitFailsTheChecksumAndIsSetAsideNotDelivered(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 10);
    s.append(ReportRequest.newBuilder()
        .setHostId("host-with-a-long-enough-id")
        .setSeq(1)
        .build());
    s.append(report(2));
    Path first = dir.resolve(String.format("%020d.report", 1));
    byte[] bytes = Files.readAllBytes(first);
    bytes[bytes.length - 3] ^=
        0x04; // still a well-formed report, with another host id: only the checksum knows
    Files.write(first, bytes);
    assertThat(s.peek(0)).map(ReportRequest::getSeq).contains(2L);
    assertThat(Files.readString(
            dir.resolve("rejected").resolve(String.format("%020d.report.reason", 1))))
        .contains("checksum mismatch");
  }

  @Test
  void aFileWrittenBeforeChecksumsIsStillRead(@TempDir Path dir) throws Exception {
    Files.write(
        dir.resolve(String.format("%020d.report", 4)),
        report(4).toByteArray()); // the old format: bare bytes
    assertThat(new ReportSpool(dir, 10).peek(0)).map(ReportRequest::getSeq).contains(4L);
  }

  @Test
  void rejectedReportsAreKeptAsideWithTheReason(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 10);
    s.append(report(7));
    s.reject(7, "INVALID_ARGUMENT: bad digest");
    assertThat(s.size()).isZero();
    assertThat(Files.readString(
            dir.resolve("rejected").resolve(String.format("%020d.report.reason", 7))))
        .contains("bad digest");
  }

  @Test
  void peekWaitsForAnAppend(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 10);
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(100);
        s.append(report(1));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    assertThat(s.peek(5000)).map(ReportRequest::getSeq).contains(1L);
    t.join();
    assertThat(new ReportSpool(dir.resolve("empty"), 1).peek(10)).isEmpty();
  }

  @Test
  void renumbersUpPastTheControllersNumbersKeepingOrderAndContent(@TempDir Path dir)
      throws Exception {
    ReportSpool s = new ReportSpool(dir, 100);
    SequenceCounter counter = new SequenceCounter(dir.resolve("seq"), 0);
    for (int i = 0; i < 4; i++) {
      long n = counter.next();
      s.append(report(n).toBuilder()
          .setLastAckedSeq(100 + n)
          .build()); // a mark to follow each report by
    }
    // the controller holds up to 6: numbers 5 and 6 overlap the spool's own 1..4 on the way up
    assertThat(s.renumberAfter(6, counter)).isEqualTo(4);
    ReportSpool reopened = new ReportSpool(dir, 100);
    java.util.List<long[]> seen = new java.util.ArrayList<>();
    for (var r = reopened.peek(0); r.isPresent(); r = reopened.peek(0)) {
      seen.add(new long[] {r.get().getSeq(), r.get().getLastAckedSeq()});
      reopened.remove(r.get().getSeq());
    }
    assertThat(seen)
        .containsExactly(
            new long[] {7, 101}, new long[] {8, 102}, new long[] {9, 103}, new long[] {10, 104});
    assertThat(counter.last()).isEqualTo(10);
    assertThat(new SequenceCounter(dir.resolve("seq"), 0).last()).isEqualTo(10);
  }

  @Test
  void renumbersDownToFollowTheControllersNumbers(@TempDir Path dir) throws Exception {
    ReportSpool s = new ReportSpool(dir, 100);
    SequenceCounter counter = new SequenceCounter(dir.resolve("seq"), 0);
    counter.resetTo(1_000_000);
    for (int i = 0; i < 3; i++) {
      s.append(report(counter.next()));
    }
    s.renumberAfter(41, counter);
    assertThat(s.peek(0)).map(ReportRequest::getSeq).contains(42L);
    assertThat(s.highestSeq()).isEqualTo(44);
    assertThat(s.size()).isEqualTo(3);
    assertThat(counter.next()).isEqualTo(45);
    assertThat(s.lastAcked()).isEqualTo(41);
  }
}
