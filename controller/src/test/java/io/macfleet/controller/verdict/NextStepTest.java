package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runbook's decision matrix, for the verdicts macfleet gives today. */
class NextStepTest {
  private static Verdict v(Verdict.Kind kind, List<String> factors, Verdict.Control control) {
    return new Verdict("mini-07", "r1", "qwen3:8b", 4, kind, factors, Map.of(), control, "…");
  }

  @Test
  void eachVerdictMapsToTheRunbooksNextStep() {
    assertThat(NextStep.of(v(
            Verdict.Kind.SOFTWARE_REGRESSION,
            List.of(),
            new Verdict.Control("mini-09", "r2", true))))
        .isEqualTo(NextStep.FILE_REGRESSION_PIN_LAST_GOOD);
    assertThat(NextStep.of(v(
            Verdict.Kind.SOFTWARE_REGRESSION,
            List.of(),
            new Verdict.Control("mini-09", "r2", false))))
        .isEqualTo(NextStep.CACHE_SURGERY);
    assertThat(NextStep.of(v(Verdict.Kind.SOFTWARE_REGRESSION, List.of(), null)))
        .isEqualTo(NextStep.NONE);
    assertThat(NextStep.of(v(Verdict.Kind.DIGEST_DRIFT, List.of(), null)))
        .isEqualTo(NextStep.CACHE_SURGERY);
    assertThat(NextStep.of(v(Verdict.Kind.CONCURRENCY, List.of(), null)))
        .isEqualTo(NextStep.ARCHITECTURE_REVIEW);
    assertThat(NextStep.of(v(Verdict.Kind.ENVIRONMENT, List.of("thermal", "battery"), null)))
        .isEqualTo(NextStep.MOVE_TO_REMOTE_HOST);
    assertThat(NextStep.of(v(Verdict.Kind.ENVIRONMENT, List.of("mobile"), null)))
        .isEqualTo(NextStep.MOVE_TO_REMOTE_HOST);
    assertThat(NextStep.of(v(Verdict.Kind.ENVIRONMENT, List.of("thermal"), null)))
        .isEqualTo(NextStep.NONE);
    assertThat(NextStep.of(v(Verdict.Kind.NO_CHANGE, List.of(), null))).isEqualTo(NextStep.NONE);
  }

  @Test
  void theVerdictRecordCarriesTheStepAndItsCommand() {
    var json = v(
            Verdict.Kind.SOFTWARE_REGRESSION, List.of(), new Verdict.Control("mini-09", "r2", true))
        .toJson();
    assertThat(json.path("next_step").asText()).isEqualTo("file_regression_pin_last_good");
    assertThat(json.path("next_command").asText())
        .isEqualTo("macfleet rollback mini-07 --model qwen3:8b --pin");
    var none = v(Verdict.Kind.NO_CHANGE, List.of(), null).toJson();
    assertThat(none.path("next_step").asText()).isEqualTo("none");
    assertThat(none.path("next_command").isNull()).isTrue();
  }
}
