package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.macfleet.proto.v1.HostSummary;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** How tables show values: runbook limits marked, times local and to the second. */
class FormatsTest {
  @Test
  void swapPastTheRunbooks768MbIsMarked() {
    assertThat(
            Formats.swap(HostSummary.newBuilder().setSwapUsedBytes(512L << 20).build()))
        .isEqualTo("512 MiB");
    assertThat(Formats.swap(HostSummary.newBuilder().setSwapUsedBytes(1L << 30).build()))
        .endsWith(" !");
    assertThat(Formats.swap(HostSummary.getDefaultInstance())).isEqualTo("-");
  }

  @Test
  void tableTimesAreLocalToTheSecond() {
    LocalDateTime t = LocalDateTime.of(2026, 12, 6, 10, 59, 56);
    long s = t.atZone(ZoneId.systemDefault()).toEpochSecond();
    assertThat(Formats.local(
            Timestamp.newBuilder().setSeconds(s).setNanos(70_000_000).build()))
        .isEqualTo("2026-12-06 10:59:56");
    assertThat(Formats.local(Timestamp.getDefaultInstance())).isEqualTo("-");
  }
}
