package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadlineChangesTest {
  static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-22T10:00:00Z");

  static Headline h(
      String thermal, String power, String mobility, Long sleep, Long wake, String ollama) {
    return new Headline(
        thermal, power, 80, mobility, "normal", 0L, sleep, wake, "EC.LidOpen", "0.32.15", ollama);
  }

  @Test
  void theFirstReportIsTheBaseline() {
    assertThat(
            HeadlineChanges.between(null, h("nominal", "ac", "docked", 1L, 2L, "up"), "h", AT, 1))
        .isEmpty();
  }

  @Test
  void eachChangeIsAnEventSleepAndWakeAtTheKernelsTimes() {
    List<EventRow> e = HeadlineChanges.between(
        h("nominal", "ac", "docked", 100L, 200L, "up"),
        h("heavy", "battery", "mobile", 300L, 400L, "down"),
        "h",
        AT,
        7);
    assertThat(e)
        .extracting(EventRow::kind)
        .containsExactly("thermal", "power", "mobility", "ollama_state", "sleep", "wake");
    assertThat(e.get(0).from()).isEqualTo("nominal");
    assertThat(e.get(0).to()).isEqualTo("heavy");
    assertThat(e.get(0).at()).isEqualTo(AT);
    assertThat(e.get(1).detail()).isEqualTo("battery 80%");
    assertThat(e.get(4).at().toEpochSecond()).isEqualTo(300);
    assertThat(e.get(5).at().toEpochSecond()).isEqualTo(400);
    assertThat(e.get(5).detail()).isEqualTo("reason EC.LidOpen");
    assertThat(e).allMatch(x -> x.reportSeq() == 7);
  }

  @Test
  void becomingUnknownIsNotAChange() {
    assertThat(HeadlineChanges.between(
            h("heavy", "ac", "docked", 1L, 2L, "up"), h("", "", "", null, null, "up"), "h", AT, 2))
        .isEmpty();
  }
}
