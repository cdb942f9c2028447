package io.macfleet.controller.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one definition of a run's level: what counts, and the percentile rule. */
class LevelSummaryTest {
  private static Records.Sample sample(int level, boolean cold, Double ttft, String error) {
    return new Records.Sample(
        "r", Instant.EPOCH, level, cold, ttft, 900.0, 40.0, null, null, null, null, error);
  }

  @Test
  void steadySuccessesAreMeasuredAndEveryFailureCounted() {
    List<Records.Sample> s = new ArrayList<>();
    s.add(sample(1, true, 5000.0, null)); // cold: not a steady sample
    for (double t : new double[] {10, 20, 30, 40, 50}) {
      s.add(sample(1, false, t, null));
    }
    s.add(sample(1, false, null, "hung"));
    s.add(sample(1, true, null, "load_failed"));
    s.add(sample(4, false, null, "refused"));
    List<LevelSummary> levels = LevelSummary.of(s);
    assertThat(levels).extracting(LevelSummary::concurrency).containsExactly(1, 4);
    LevelSummary one = levels.get(0);
    assertThat(one.samples()).isEqualTo(5);
    assertThat(one.errors()).isEqualTo(2);
    assertThat(one.ttftP50Ms()).isEqualTo(30.0);
    assertThat(one.ttftP95Ms()).isEqualTo(48.0); // type 7: 40 + 0.8 × (50 − 40)
    assertThat(one.decodeP50Tps()).isEqualTo(40.0);
    LevelSummary four = levels.get(1);
    assertThat(four.samples()).isZero();
    assertThat(four.errors()).isEqualTo(1);
    assertThat(four.ttftP50Ms()).as("nothing measured is null, never 0").isNull();
  }

  @Test
  void theRatioIsTheHighestLevelsP95OverTheOneWays() {
    LevelSummary one = new LevelSummary(1, 24, 0, 100.0, 200.0, 210.0, 1500.0, 100.0);
    LevelSummary four = new LevelSummary(4, 24, 0, 300.0, 700.0, 720.0, 1500.0, 90.0);
    LevelSummary two = new LevelSummary(2, 24, 0, 150.0, 300.0, 310.0, 1500.0, 95.0);
    assertThat(LevelSummary.ttftP95Ratio(java.util.List.of(one, two, four))).isEqualTo(3.5);
    assertThat(LevelSummary.ttftP95Ratio(java.util.List.of(one)))
        .as("no higher level")
        .isNull();
    assertThat(LevelSummary.ttftP95Ratio(java.util.List.of(four)))
        .as("no 1-way")
        .isNull();
    LevelSummary failed = new LevelSummary(4, 0, 24, null, null, null, null, null);
    assertThat(LevelSummary.ttftP95Ratio(java.util.List.of(one, failed)))
        .as("no p95")
        .isNull();
  }
}
