package io.macfleet.controller.verdict;

import java.util.Locale;

/**
 * The runbook's decision matrix: what to do about a verdict, with the command where macfleet can do it. Derived
 * from the verdict alone, so every verdict carries one and an old stored verdict gets the same answer.
 */
public enum NextStep {
  /** Reproduced on a second same-generation Mac with the same digest: file upstream, pin the last good release. */
  FILE_REGRESSION_PIN_LAST_GOOD,
  /** Host-local (the control ran clean) or the host's blobs differ from the fleet's: the rollback ladder's step 3. */
  CACHE_SURGERY,
  /** A load failure or a quantization-specific failure on the MLX path: serve the GGUF variant. */
  OFF_MLX,
  /** The environment slowed a mobile or battery host: move heavy inference to a Mac on a desk. */
  MOVE_TO_REMOTE_HOST,
  /** Several tenants and batch traffic on one host (Gate C): give them separate hosts. */
  SPLIT_TIERS,
  /** N-way TTFT p95 over the runbook's 2.8 × the 1-way: the serving shape, not a release, is the problem. */
  ARCHITECTURE_REVIEW,
  NONE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NextStep of(Verdict v) {
    return switch (v.verdict()) {
      case FAILURE -> failure(v);
      case SOFTWARE_REGRESSION ->
        v.control() == null
            ? NONE
            : v.control().reproduced() ? FILE_REGRESSION_PIN_LAST_GOOD : CACHE_SURGERY;
      case DIGEST_DRIFT -> CACHE_SURGERY;
      case CONCURRENCY -> ARCHITECTURE_REVIEW;
      case ENVIRONMENT ->
        v.factors().contains("battery") || v.factors().contains("mobile")
            ? MOVE_TO_REMOTE_HOST
            : NONE;
      default -> NONE;
    };
  }

  /**
   * A failure by the runbook's matrices: a load failure or one quantization failing on the MLX path is the
   * preview's dtype and layout coverage (serve the GGUF variant); reproduced on the control with the same digest,
   * a regression to file while the last good release is pinned; clean on the control, the host's own blobs;
   * only under parallelism, the serving shape.
   */
  private static NextStep failure(Verdict v) {
    Verdict.Failure f = v.failure();
    if (f == null) {
      return NONE;
    }
    boolean mlx = v.factors().contains("mlx");
    if (mlx
        && (f.symptom() == Verdict.Symptom.LOAD_FAILURE
            || f.scope() == Verdict.Scope.QUANT_SPECIFIC)) {
      return OFF_MLX;
    }
    return switch (f.scope()) {
      case FLEET -> FILE_REGRESSION_PIN_LAST_GOOD;
      case HOST_LOCAL -> CACHE_SURGERY;
      case CONCURRENCY_ONLY -> ARCHITECTURE_REVIEW;
      case QUANT_SPECIFIC, UNKNOWN -> NONE;
    };
  }

  /** The command that takes the step for this verdict's host and model; empty when macfleet cannot take it. */
  public String command(String host, String model) {
    return switch (this) {
      case FILE_REGRESSION_PIN_LAST_GOOD ->
        "macfleet rollback " + host + " --model " + model + " --pin";
      case CACHE_SURGERY -> "macfleet rollback " + host + " --model " + model;
      case OFF_MLX -> "macfleet rollback " + host + " --model " + model + " --gguf-tag TAG";
      default -> "";
    };
  }

  /** One line for people: what to do. */
  public String advice() {
    return switch (this) {
      case FILE_REGRESSION_PIN_LAST_GOOD ->
        "reproduced on a control Mac with the same digest: file it upstream and "
            + "pin the last good release";
      case CACHE_SURGERY ->
        "not reproduced elsewhere, or this host's blobs differ from the fleet's: clean its "
            + "model cache (the rollback ladder's step 3)";
      case OFF_MLX -> "fails on the MLX path: serve the GGUF variant";
      case MOVE_TO_REMOTE_HOST ->
        "a mobile or battery host: move heavy inference to a Mac on a desk";
      case SPLIT_TIERS -> "interactive and batch clients share this host: split them across hosts";
      case ARCHITECTURE_REVIEW -> "concurrency, not a release: review how requests reach this host";
      case NONE -> "nothing to do";
    };
  }
}
