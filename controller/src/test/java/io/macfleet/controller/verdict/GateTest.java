package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The runbook's gate on small hand-made datasets: each rule's pass, fail and not-enough-data. */
class GateTest {
  private static final String MODEL = "qwen3:8b";
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /** One run of n steady samples per level with TTFT around ttft (1-way) and ttft × ratio (4-way). */
  private static void run(
      Dataset d, String id, String host, int hour, int n, double ttft, double ratio, long seed) {
    Instant at = T0.plusSeconds(3600L * hour);
    d.add(new Records.Run(
        id,
        host,
        at,
        at.plusSeconds(300),
        MODEL,
        "a".repeat(64),
        "0.19.0",
        "24E263",
        "mlx",
        "coding",
        "scheduled",
        false));
    Random r = new Random(seed);
    for (int level : new int[] {1, 4}) {
      for (int i = 0; i < n; i++) {
        double v = ttft * (level == 4 ? ratio : 1) * (1 + 0.02 * r.nextGaussian());
        d.addSample(id, level, false, null, v, 900.0, 40.0);
      }
    }
  }

  private static Dataset fleet() {
    Dataset d = new Dataset();
    d.add(new Records.Host("mac-a", "Apple M4 Pro", "M4", 64L << 30, "fleet", Map.of()));
    d.add(new Records.Host(
        "mac-b", "Apple M4 Pro", "M4", 64L << 30, "fleet", Map.of("ring", "canary")));
    return d;
  }

  @Test
  void passesWhenNothingIsSlowerAndTheConcurrencyRatioHolds() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 30, 201, 2.0, 2);
    Gate.Outcome o = Gate.evaluate(
        d,
        MODEL,
        RunSelector.parse("mac-a"),
        RunSelector.parse("ring=canary"),
        Thresholds.defaults());
    assertThat(o.baselineRuns()).containsExactly("b1");
    assertThat(o.candidateRuns()).containsExactly("c1");
    assertThat(o.rules())
        .extracting(Gate.Rule::rule)
        .contains("samples", "regression", "concurrency_ratio", "swap_90s_avg");
    assertThat(o.rules())
        .filteredOn(r -> r.rule().equals("swap_90s_avg"))
        .extracting(Gate.Rule::result)
        .containsExactly(Gate.Result.NOT_MEASURED);
    assertThat(o.result()).isEqualTo(Gate.Result.PASS);
  }

  @Test
  void failsOnASlowdownAndOnTheRunbooksConcurrencyRatio() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 30, 260, 2.0, 2); // 30 % slower
    Gate.Outcome slower = Gate.evaluate(
        d, MODEL, RunSelector.parse("run:b1"), RunSelector.parse("run:c1"), Thresholds.defaults());
    assertThat(slower.result()).isEqualTo(Gate.Result.FAIL);
    assertThat(slower.rules())
        .filteredOn(r -> r.rule().equals("regression") && r.level() == 1)
        .extracting(Gate.Rule::result)
        .containsExactly(Gate.Result.FAIL);

    Dataset e = fleet();
    run(e, "b1", "mac-a", 0, 30, 200, 3.0, 1);
    run(
        e, "c1", "mac-b", 1, 30, 200, 3.0,
        2); // no change, but 4-way p95 is 3× the 1-way: past the runbook's 2.8
    Gate.Outcome ratio = Gate.evaluate(
        e, MODEL, RunSelector.parse("run:b1"), RunSelector.parse("run:c1"), Thresholds.defaults());
    assertThat(ratio.rules())
        .filteredOn(r -> r.rule().equals("concurrency_ratio"))
        .extracting(Gate.Rule::result)
        .containsExactly(Gate.Result.FAIL);
    assertThat(ratio.result()).isEqualTo(Gate.Result.FAIL);
  }

  @Test
  void tooFewSamplesIsInsufficientNeverAPass() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 10, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 10, 200, 2.0, 2);
    Gate.Outcome o = Gate.evaluate(
        d, MODEL, RunSelector.parse("run:b1"), RunSelector.parse("run:c1"), Thresholds.defaults());
    assertThat(o.result()).isEqualTo(Gate.Result.INSUFFICIENT_DATA);
    assertThat(Gate.evaluate(
                fleet(),
                MODEL,
                RunSelector.parse("mac-a"),
                RunSelector.parse("mac-b"),
                Thresholds.defaults())
            .result())
        .as("no candidate run at all")
        .isEqualTo(Gate.Result.INSUFFICIENT_DATA);
  }

  @Test
  void aRunOfAnotherModelOrNoneAtAllIsAnError() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    assertThatThrownBy(() -> Gate.evaluate(
            d,
            "other:1b",
            RunSelector.parse("run:b1"),
            RunSelector.parse("run:b1"),
            Thresholds.defaults()))
        .hasMessageContaining("run b1 is of " + MODEL);
    assertThatThrownBy(() -> Gate.evaluate(
            d,
            MODEL,
            RunSelector.parse("run:zz"),
            RunSelector.parse("run:b1"),
            Thresholds.defaults()))
        .hasMessageContaining("no run zz");
  }

  @Test
  void theSwapRuleTakesTheWorst90SecondsOfTheRun() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 30, 200, 2.0, 2); // runs from hour 1 for 300 s
    Instant start = T0.plusSeconds(3600);
    d.add(new Records.Telemetry("mac-b", start, "nominal", "ac", null, false, true, 0L, "normal"));
    d.add(new Records.Telemetry(
        "mac-b", start.plusSeconds(60), "nominal", "ac", null, false, true, 2000L << 20, "normal"));
    d.add(new Records.Telemetry(
        "mac-b", start.plusSeconds(180), "nominal", "ac", null, false, true, 0L, "normal"));
    Gate.Outcome o = Gate.evaluate(
        d, MODEL, RunSelector.parse("run:b1"), RunSelector.parse("run:c1"), Thresholds.defaults());
    assertThat(o.rules())
        .filteredOn(r -> r.rule().equals("swap_90s_avg"))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.result()).isEqualTo(Gate.Result.FAIL);
          assertThat(r.figure()).isEqualTo("2000 MB");
        });
  }
}
