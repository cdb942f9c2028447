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

  private static Records.Clients seen(String host, int hour, Integer atOnce, int truncated) {
    return new Records.Clients(
        host,
        T0.plusSeconds(3600L * hour + 600),
        2,
        40,
        0,
        atOnce,
        truncated,
        0,
        truncated > 0 ? 2048 : null,
        truncated > 0 ? 5065 : null,
        java.util.List.of(new Records.Caller("Cursor", "ide", 91, 2, null)),
        java.util.List.of(new Records.PathCount("POST", "/api/chat", 40, 0)));
  }

  private static Gate.Rule rule(Gate.Outcome o, String name) {
    return o.rules().stream().filter(r -> r.rule().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void gateCFailsOnCallersBeyondTheProbedLevelAndOnTruncatedPromptsWithSplitTiers() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 30, 201, 2.0, 2);
    d.add(seen("mac-b", 1, 3, 0));
    Gate.Outcome within = Gate.evaluate(
        d, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    // the probes measured 4-way; but the run is on MLX, which serves one request at a time
    assertThat(rule(within, "clients_concurrency").result()).isEqualTo(Gate.Result.FAIL);
    assertThat(rule(within, "clients_concurrency").limit()).contains("MLX");
    assertThat(rule(within, "clients_concurrency").nextStep()).isEqualTo(NextStep.SPLIT_TIERS);
    assertThat(rule(within, "clients_truncation").result()).isEqualTo(Gate.Result.PASS);

    Dataset gguf = fleet();
    run(gguf, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    gguf.add(new Records.Run(
        "c1",
        "mac-b",
        T0.plusSeconds(3600),
        T0.plusSeconds(3900),
        MODEL,
        "a".repeat(64),
        "0.19.0",
        "24E263",
        "llama.cpp",
        "coding",
        "scheduled",
        false));
    for (int level : new int[] {1, 4}) {
      for (int i = 0; i < 30; i++) {
        gguf.addSample("c1", level, false, null, 200.0 * (level == 4 ? 2 : 1), 900.0, 40.0);
      }
    }
    gguf.add(seen("mac-b", 1, 4, 0));
    Gate.Outcome four = Gate.evaluate(
        gguf, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    assertThat(rule(four, "clients_concurrency").result()).isEqualTo(Gate.Result.PASS);
    gguf.add(seen("mac-b", 2, 6, 3));
    Gate.Outcome six = Gate.evaluate(
        gguf, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    assertThat(rule(six, "clients_concurrency").figure()).isEqualTo("mac-b: 6 at once");
    assertThat(rule(six, "clients_concurrency").result()).isEqualTo(Gate.Result.FAIL);
    assertThat(rule(six, "clients_truncation").figure())
        .isEqualTo("mac-b: 3 prompt(s) truncated (up to 5065 tokens into 2048)");
    assertThat(rule(six, "clients_truncation").nextStep()).isEqualTo(NextStep.SPLIT_TIERS);
    assertThat(six.result()).isEqualTo(Gate.Result.FAIL);
  }

  @Test
  void gateCWithoutAServerLogIsNotMeasuredNeverAPassOrAFail() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 30, 201, 2.0, 2);
    Gate.Outcome none = Gate.evaluate(
        d, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    assertThat(rule(none, "clients_concurrency").result()).isEqualTo(Gate.Result.NOT_MEASURED);
    assertThat(rule(none, "clients_concurrency").figure()).contains("--ollama-log");
    assertThat(none.result()).isEqualTo(Gate.Result.PASS);
    d.add(seen("mac-b", 1, null, 0)); // callers listed, no log read
    Gate.Outcome listed = Gate.evaluate(
        d, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    assertThat(rule(listed, "clients_concurrency").result()).isEqualTo(Gate.Result.NOT_MEASURED);
  }

  @Test
  void gateAFailsOnAnotherDigestOrAnotherDeclaredDtypeForTheSameTag() {
    Dataset d = fleet();
    run(d, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    run(d, "c1", "mac-b", 1, 30, 201, 2.0, 2);
    Gate.Outcome same = Gate.evaluate(
        d, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    assertThat(rule(same, "identity_digest").result()).isEqualTo(Gate.Result.PASS);
    assertThat(rule(same, "identity_dtype").result()).isEqualTo(Gate.Result.NOT_MEASURED);
    for (var host : new String[][] {{"mac-a", "nvfp4"}, {"mac-b", "mxfp8"}}) {
      d.add(new Records.State(
          host[0],
          T0,
          "0.19.0",
          "15.4",
          "24E263",
          java.util.List.of(
              new Records.ModelRef(MODEL, "a".repeat(64), "safetensors", "nvfp4", host[1])),
          Map.of()));
    }
    Gate.Outcome dtype = Gate.evaluate(
        d, MODEL, RunSelector.parse("mac-a"), RunSelector.parse("mac-b"), Thresholds.defaults());
    assertThat(rule(dtype, "identity_dtype").result()).isEqualTo(Gate.Result.FAIL);
    assertThat(rule(dtype, "identity_dtype").figure()).isEqualTo("{mac-a=nvfp4, mac-b=mxfp8}");
    assertThat(rule(dtype, "identity_dtype").nextStep()).isEqualTo(NextStep.CACHE_SURGERY);

    Dataset drift = fleet();
    run(drift, "b1", "mac-a", 0, 30, 200, 2.0, 1);
    drift.add(new Records.Run(
        "c1",
        "mac-b",
        T0.plusSeconds(3600),
        T0.plusSeconds(3900),
        MODEL,
        "b".repeat(64),
        "0.19.0",
        "24E263",
        "mlx",
        "coding",
        "scheduled",
        false));
    Gate.Outcome digest = Gate.evaluate(
        drift,
        MODEL,
        RunSelector.parse("mac-a"),
        RunSelector.parse("mac-b"),
        Thresholds.defaults());
    assertThat(rule(digest, "identity_digest").result()).isEqualTo(Gate.Result.FAIL);
    assertThat(rule(digest, "identity_digest").figure())
        .isEqualTo("mac-b bbbbbbbbbbbb vs baseline aaaaaaaaaaaa");
    assertThat(digest.result()).isEqualTo(Gate.Result.FAIL);
  }
}
