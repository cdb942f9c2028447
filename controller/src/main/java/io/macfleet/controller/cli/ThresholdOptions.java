package io.macfleet.controller.cli;

import io.macfleet.controller.verdict.Thresholds;
import picocli.CommandLine.Option;

/** The verdict and gate thresholds, on every command that judges. Defaults are the runbook's. */
final class ThresholdOptions {
  @Option(
      names = "--effect-pct",
      paramLabel = "PCT",
      description = "Smallest change that counts, in percent, on "
          + "TTFT p50/p95 and decode/prefill tok/s (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  double effectPct;

  @Option(
      names = "--min-samples",
      paramLabel = "N",
      description = "Steady-state samples needed on each side "
          + "before any speed claim (default: ${DEFAULT-VALUE}).",
      defaultValue = "24")
  int minSamples;

  @Option(
      names = "--alpha",
      paramLabel = "P",
      description = "p-value a change must beat (default: " + "${DEFAULT-VALUE}).",
      defaultValue = "0.01")
  double alpha;

  @Option(
      names = "--concurrency-ratio",
      paramLabel = "X",
      description =
          "Most the N-way TTFT p95 may be over " + "the 1-way p95 (default: ${DEFAULT-VALUE}).",
      defaultValue = "2.8")
  double concurrencyRatio;

  @Option(
      names = "--swap-limit-mb",
      paramLabel = "MB",
      description = "Most the 90-second swap average may be " + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "768")
  long swapLimitMb;

  Thresholds thresholds() {
    if (effectPct <= 0 || effectPct >= 1000) {
      throw new IllegalArgumentException("--effect-pct must be between 0 and 1000");
    }
    if (minSamples < 2) {
      throw new IllegalArgumentException("--min-samples must be at least 2");
    }
    if (alpha <= 0 || alpha >= 1) {
      throw new IllegalArgumentException("--alpha must be between 0 and 1");
    }
    if (concurrencyRatio <= 1) {
      throw new IllegalArgumentException("--concurrency-ratio must be over 1");
    }
    if (swapLimitMb < 0) {
      throw new IllegalArgumentException("--swap-limit-mb must not be negative");
    }
    return Thresholds.defaults()
        .withEffectPct(effectPct)
        .withMinSamples(minSamples)
        .withAlpha(alpha)
        .withConcurrencyRatio(concurrencyRatio)
        .withSwapAverageBytes(swapLimitMb << 20);
  }
}
