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
}
