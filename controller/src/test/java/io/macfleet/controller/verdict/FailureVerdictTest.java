package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The runbook's failure rows on small hand-made fleets: each symptom and scope, the decision matrix's next step
 * for it, and what is not evidence of a failure at all.
 */
class FailureVerdictTest {
  private static final String MODEL = "qwen3.6:35b-a3b-nvfp4";
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final String DIGEST = "a".repeat(64);

  private final VerdictEngine engine = new VerdictEngine(Thresholds.defaults());

  private static Dataset fleet(boolean withControl) {
    Dataset d = new Dataset();
    d.add(new Records.Host("mac-a", "Apple M4 Pro", "M4", 64L << 30, "fleet", Map.of()));
    if (withControl) {
      d.add(new Records.Host("mac-c", "Apple M4 Pro", "M4", 64L << 30, "control", Map.of()));
    }
    return d;
  }

  /** A run at the hour: per level, ok good requests then each failure class given, in that order. */
  private static void run(
      Dataset d,
      String id,
      String host,
      String model,
      String purpose,
      int hour,
      Map<Integer, Integer> good,
      Map<Integer, List<String>> failed) {
    Instant at = T0.plusSeconds(3600L * hour);
    d.add(new Records.Run(
        id,
        host,
        at,
        at.plusSeconds(300),
        model,
        DIGEST,
        "0.33.0",
        "25D2128",
        "mlx",
        "coding",
        purpose,
        false));
    Random r = new Random(id.hashCode());
    for (int level : new int[] {1, 4}) {
      for (int i = 0; i < good.getOrDefault(level, 0); i++) {
        d.addSample(id, level, false, null, 200 * (1 + 0.02 * r.nextGaussian()), 900.0, 40.0);
      }
      for (String cls : failed.getOrDefault(level, List.of())) {
        d.addSample(id, level, false, cls, null, null, null);
      }
    }
  }

  private static List<String> times(int n, String cls) {
    return java.util.Collections.nCopies(n, cls);
  }

  private static Map<Integer, Integer> clean(int n) {
    return Map.of(1, n, 4, n);
  }

  private Verdict judge(Dataset d, String run, int level) {
    d.index();
    return engine.judge(d, VerdictEngine.series(d), d.runs().get(run)).stream()
        .filter(v -> v.concurrency() == level)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aCrashMidStreamOnlyAtFourWayIsAConcurrencyOnlyFailure() {
    Dataset d = fleet(true);
    run(d, "b1", "mac-a", MODEL, "scheduled", 0, clean(30), Map.of());
    run(d, "b2", "mac-a", MODEL, "scheduled", 1, clean(30), Map.of());
    run(d, "c1", "mac-a", MODEL, "scheduled", 2, clean(30), Map.of(4, times(9, "midstream_error")));
    Verdict v = judge(d, "c1", 4);
    assertThat(v.verdict()).isEqualTo(Verdict.Kind.FAILURE);
    assertThat(v.failure().symptom()).isEqualTo(Verdict.Symptom.MIDSTREAM_CRASH);
    assertThat(v.failure().scope()).isEqualTo(Verdict.Scope.CONCURRENCY_ONLY);
    assertThat(v.failure().failed()).isEqualTo(9);
    assertThat(v.failure().requests()).isEqualTo(39);
    assertThat(v.metrics().get("error_rate_pct").pValue()).isLessThan(0.001);
    assertThat(v.explanation()).contains("9 midstream_error", "clean at 1-way");
    assertThat(NextStep.of(v)).isEqualTo(NextStep.ARCHITECTURE_REVIEW);
    assertThat(judge(d, "c1", 1).verdict()).isNotEqualTo(Verdict.Kind.FAILURE);
    JsonNode j = v.toJson();
    assertThat(j.path("verdict").asText()).isEqualTo("failure");
    assertThat(j.path("symptom").asText()).isEqualTo("midstream_crash");
    assertThat(j.path("scope").asText()).isEqualTo("concurrency_only");
    assertThat(j.path("next_step").asText()).isEqualTo("architecture_review");
    assertThat(judge(d, "c1", 1).toJson().get("symptom").isNull()).isTrue();
  }

  @Test
  void oneQuantizationThatWillNotLoadWhileAnotherRunsCleanIsQuantSpecificAndGoesOffMlx() {
    Dataset d = fleet(true);
    String other = "qwen3.6:35b-a3b-q4_K_M";
    run(d, "b1", "mac-a", MODEL, "scheduled", 0, clean(30), Map.of());
    run(d, "c1", "mac-a", MODEL, "manual", 3, Map.of(), Map.of(1, times(24, "load_failed")));
    run(d, "q1", "mac-a", other, "manual", 3, clean(24), Map.of());
    Verdict v = judge(d, "c1", 1);
    assertThat(v.verdict()).isEqualTo(Verdict.Kind.FAILURE);
    assertThat(v.failure().symptom()).isEqualTo(Verdict.Symptom.LOAD_FAILURE);
    assertThat(v.failure().scope()).isEqualTo(Verdict.Scope.QUANT_SPECIFIC);
    assertThat(v.explanation()).contains("q4_k_m", "only nvfp4 fails");
    assertThat(v.factors()).contains("mlx");
    assertThat(NextStep.of(v)).isEqualTo(NextStep.OFF_MLX);
    assertThat(NextStep.OFF_MLX.command("mac-a", MODEL)).contains("--gguf-tag");
  }

  @Test
  void aFailureTheControlDoesNotShareIsHostLocalAndOneItSharesIsTheFleets() {
    Dataset local = fleet(true);
    run(local, "b1", "mac-a", "qwen3:8b", "scheduled", 0, Map.of(1, 30), Map.of());
    run(local, "cb", "mac-c", "qwen3:8b", "scheduled", 0, Map.of(1, 30), Map.of());
    run(
        local,
        "c1",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        5,
        Map.of(1, 18),
        Map.of(1, times(12, "hung")));
    run(local, "k1", "mac-c", "qwen3:8b", "control_replay", 5, Map.of(1, 30), Map.of());
    Verdict v = judge(local, "c1", 1);
    assertThat(v.failure().symptom()).isEqualTo(Verdict.Symptom.HUNG);
    assertThat(v.failure().scope()).isEqualTo(Verdict.Scope.HOST_LOCAL);
    assertThat(v.control().host()).isEqualTo("mac-c");
    assertThat(v.control().reproduced()).isFalse();
    assertThat(NextStep.of(v)).isEqualTo(NextStep.CACHE_SURGERY);

    Dataset fleetWide = fleet(true);
    run(fleetWide, "b1", "mac-a", "qwen3:8b", "scheduled", 0, Map.of(1, 30), Map.of());
    run(fleetWide, "cb", "mac-c", "qwen3:8b", "scheduled", 0, Map.of(1, 30), Map.of());
    run(
        fleetWide,
        "c1",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        5,
        Map.of(1, 18),
        Map.of(1, times(12, "midstream_error")));
    run(
        fleetWide,
        "k1",
        "mac-c",
        "qwen3:8b",
        "control_replay",
        5,
        Map.of(1, 20),
        Map.of(1, times(10, "midstream_error")));
    Verdict f = judge(fleetWide, "c1", 1);
    assertThat(f.failure().scope()).isEqualTo(Verdict.Scope.FLEET);
    assertThat(f.control().reproduced()).isTrue();
    assertThat(NextStep.of(f)).isEqualTo(NextStep.FILE_REGRESSION_PIN_LAST_GOOD);
  }

  @Test
  void withoutAControlTheScopeIsUnknownAndSaysWhy() {
    Dataset d = fleet(false);
    run(d, "b1", "mac-a", "qwen3:8b", "scheduled", 0, Map.of(1, 30), Map.of());
    run(
        d,
        "c1",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        5,
        Map.of(1, 10),
        Map.of(1, times(20, "refused")));
    Verdict v = judge(d, "c1", 1);
    assertThat(v.failure().symptom()).isEqualTo(Verdict.Symptom.REFUSED);
    assertThat(v.failure().scope()).isEqualTo(Verdict.Scope.UNKNOWN);
    assertThat(v.explanation())
        .contains("no usable control: no host with role=control and chip M4");
    assertThat(NextStep.of(v)).isEqualTo(NextStep.NONE);
    assertThat(VerdictService.awaitsControl(v)).isTrue();
  }

  @Test
  void aFailureOrTwoThatChanceExplainsIsNoFailureVerdict() {
    Dataset d = fleet(false);
    run(d, "b1", "mac-a", "qwen3:8b", "scheduled", 0, Map.of(1, 30), Map.of());
    run(
        d,
        "b2",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        1,
        Map.of(1, 29),
        Map.of(1, times(1, "no_done")));
    run(
        d,
        "c1",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        2,
        Map.of(1, 29),
        Map.of(1, times(1, "no_done")));
    assertThat(judge(d, "c1", 1).verdict()).isNotEqualTo(Verdict.Kind.FAILURE);
    // and a failing baseline that stays as bad is not a new failure either
    Dataset same = fleet(false);
    run(
        same,
        "b1",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        0,
        Map.of(1, 20),
        Map.of(1, times(10, "hung")));
    run(
        same,
        "c1",
        "mac-a",
        "qwen3:8b",
        "scheduled",
        1,
        Map.of(1, 20),
        Map.of(1, times(10, "hung")));
    assertThat(judge(same, "c1", 1).verdict()).isNotEqualTo(Verdict.Kind.FAILURE);
  }
}
