package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What counts as the environment during a run, from a host's telemetry and events alone. */
class EnvironmentSignalsTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = FROM.plusSeconds(300);

  private static Records.Telemetry at(
      long s, String thermal, String power, Boolean display, Long swap, String mem) {
    return new Records.Telemetry(
        "mac-a", FROM.plusSeconds(s), thermal, power, null, false, display, swap, mem);
  }

  private static EnvironmentSignals.Signals signals(Records.Record... rs) {
    Dataset d = new Dataset();
    for (Records.Record r : rs) {
      d.add(r);
    }
    return EnvironmentSignals.during(d.index(), "mac-a", FROM, TO, Thresholds.defaults());
  }

  @Test
  void aQuietDeskHostHasNoSignals() {
    var s = signals(
        at(-60, "nominal", "ac", true, 0L, "normal"), at(120, "nominal", "ac", true, 0L, "normal"));
    assertThat(s.any()).isFalse();
    assertThat(s.factors()).isEmpty();
  }

  @Test
  void theWorstThermalLevelInForceIsNamed() {
    // the record from before the run is in force at its start
    var s = signals(
        at(-30, "moderate", "ac", true, 0L, "normal"),
        at(60, "heavy", "ac", true, 0L, "normal"),
        at(200, "nominal", "ac", true, 0L, "normal"));
    assertThat(s.factors()).containsExactly("thermal");
    assertThat(s.phrases()).containsExactly("heavy thermal pressure");
  }

  @Test
  void batteryUndockingSleepSwapAndMemoryPressureEachCount() {
    var s = signals(
        at(-600, "nominal", "ac", true, 0L, "normal"),
        at(10, "nominal", "battery", false, 900L << 20, "warn"),
        new Records.Event("mac-a", FROM.plusSeconds(100), "sleep"));
    assertThat(s.factors())
        .containsExactly("sleep", "battery", "mobile", "swap", "memory_pressure");
    assertThat(s.phrases()).contains("on battery", "memory pressure warn");
  }

  @Test
  void swapIsAveragedOverTimeNotOverRecords() {
    // 0 MB for 80 s, then 1000 MB for the last 10 s of a 90 s window: 111 MB on average, under the
    // 768 MB limit
    var quiet = signals(
        at(210, "nominal", "ac", true, 0L, "normal"),
        at(290, "nominal", "ac", true, 1000L << 20, "normal"));
    assertThat(quiet.factors()).doesNotContain("swap");
    double avg = EnvironmentSignals.swapAverage(
        java.util.List.of(
            at(210, "nominal", "ac", true, 0L, "normal"),
            at(290, "nominal", "ac", true, 1000L << 20, "normal")),
        TO.minusSeconds(90),
        TO);
    assertThat(avg / (1 << 20))
        .isCloseTo(1000.0 * 10 / 90, org.assertj.core.data.Offset.offset(0.5));
  }

  @Test
  void aRecordStampedExactlyAtTheStartIsTheStateInForceNotTheOneBefore() {
    // hot until the run starts, cooled exactly when it starts: the run did not run hot
    var s = signals(
        at(-60, "heavy", "ac", true, 0L, "normal"), at(0, "nominal", "ac", true, 0L, "normal"));
    assertThat(s.factors()).doesNotContain("thermal");
    var before = signals(
        at(-60, "heavy", "ac", true, 0L, "normal"), at(1, "nominal", "ac", true, 0L, "normal"));
    assertThat(before.factors())
        .as("a second later, the hot record was in force at the start")
        .contains("thermal");
  }

  @Test
  void theWorstWindowInsideTheRunCountsNotOnlyItsEnd() {
    // 1000 MB from 30 s to 150 s, then 0 again for the last 150 s of a 300 s run
    var all = java.util.List.of(
        at(-10, "nominal", "ac", true, 0L, "normal"),
        at(30, "nominal", "ac", true, 1000L << 20, "normal"),
        at(150, "nominal", "ac", true, 0L, "normal"));
    java.time.Duration w = java.time.Duration.ofSeconds(90);
    assertThat(EnvironmentSignals.swapAverage(all, TO.minus(w), TO)).isZero();
    assertThat(EnvironmentSignals.worstSwapAverage(all, FROM, TO, w) / (1 << 20))
        .isCloseTo(1000.0, org.assertj.core.data.Offset.offset(0.5));
    // a run shorter than the window: its own span
    assertThat(
            EnvironmentSignals.worstSwapAverage(all, FROM.plusSeconds(20), FROM.plusSeconds(40), w)
                / (1 << 20))
        .isCloseTo(500.0, org.assertj.core.data.Offset.offset(0.5));
  }
}
