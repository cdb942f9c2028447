package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** What the writer compares report to report, worked out when a report is queued. */
class HostFactsTest {
  static final ModelInfo QWEN = ModelInfo.newBuilder()
      .setName("qwen3.6:35b-a3b-nvfp4")
      .setDigest("1".repeat(64))
      .setFormat("safetensors")
      .setSizeBytes(21L << 30)
      .build();

  static HostSnapshot withWake(HostSnapshot s, String reason) {
    HostSnapshot.Builder b = s.toBuilder();
    b.getTelemetryBuilder().getSleepBuilder().setWakeReason(reason);
    return b.build();
  }

  @Test
  void theWakeReasonRidesInTheHeadlineButNeverMakesTheHostRowDiffer() {
    HostSnapshot s = TestController.snapshot("mac-1", "0.32.15", "M4", QWEN);
    PendingReport lid = new PendingReport(
        "h1", 1, 1, "interval", withWake(s, "EC.LidOpen (User)"), OffsetDateTime.now());
    PendingReport rtc =
        new PendingReport("h1", 1, 2, "interval", withWake(s, "RTC (Alarm)"), OffsetDateTime.now());
    assertThat(lid.facts()).isEqualTo(rtc.facts());
    assertThat(lid.headline().wakeReason()).isEqualTo("EC.LidOpen (User)");
    assertThat(lid.facts().headline().wakeReason()).isEmpty();
    assertThat(lid.facts().osVersion()).isEqualTo("26.3.1 (a)");
    assertThat(lid.facts().headline().ollamaState()).isEqualTo("up");
  }

  @Test
  void aReportCarriesTheBytesItWillBeStoredAsAndAModelChangeMovesTheFingerprint() throws Exception {
    HostSnapshot s = TestController.snapshot("mac-1", "0.32.15", "M4", QWEN);
    PendingReport r = new PendingReport("h1", 1, 1, "interval", s, OffsetDateTime.now());
    assertThat(HostSnapshot.parseFrom(r.snapshotBytes())).isEqualTo(s);
    HostSnapshot drifted = TestController.snapshot(
        "mac-1", "0.32.15", "M4", QWEN.toBuilder().setDigest("2".repeat(64)).build());
    assertThat(new PendingReport("h1", 1, 2, "interval", drifted, OffsetDateTime.now())
            .facts()
            .modelsFp())
        .isNotEqualTo(r.facts().modelsFp())
        .hasSize(64);
    assertThat(new PendingReport("h1", 1, 3, "interval", s, OffsetDateTime.now()).facts())
        .isEqualTo(r.facts());
  }
}
