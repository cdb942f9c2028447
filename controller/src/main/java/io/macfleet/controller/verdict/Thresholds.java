package io.macfleet.controller.verdict;

import java.time.Duration;

/**
 * The runbook's numbers, each configurable. minSamples: steady-state samples a side before any speed claim;
 * effectPct: the smallest change worth a verdict; alpha: the p-value a change must beat (the smaller of
 * Mann–Whitney and Kolmogorov–Smirnov, as Pinpoint takes it); concurrencyRatio: N-way/1-way TTFT p95 limit;
 * swapAverageBytes over swapWindow: the swap gate; baselineRuns: the newest runs a baseline pools;
 * controlWindow: how far from the suspect's run a control run may start.
 */
public record Thresholds(
    int minSamples,
    double effectPct,
    double alpha,
    double concurrencyRatio,
    long swapAverageBytes,
    Duration swapWindow,
    int baselineRuns,
    Duration controlWindow) {

  public static Thresholds defaults() {
    return new Thresholds(
        24, 10.0, 0.01, 2.8, 768L << 20, Duration.ofSeconds(90), 24, Duration.ofHours(6));
  }

  public Thresholds withEffectPct(double pct) {
    return new Thresholds(
        minSamples,
        pct,
        alpha,
        concurrencyRatio,
        swapAverageBytes,
        swapWindow,
        baselineRuns,
        controlWindow);
  }

  public Thresholds withMinSamples(int n) {
    return new Thresholds(
        n,
        effectPct,
        alpha,
        concurrencyRatio,
        swapAverageBytes,
        swapWindow,
        baselineRuns,
        controlWindow);
  }

  public Thresholds withConcurrencyRatio(double r) {
    return new Thresholds(
        minSamples, effectPct, alpha, r, swapAverageBytes, swapWindow, baselineRuns, controlWindow);
  }

  public Thresholds withSwapAverageBytes(long bytes) {
    return new Thresholds(
        minSamples,
        effectPct,
        alpha,
        concurrencyRatio,
        bytes,
        swapWindow,
        baselineRuns,
        controlWindow);
  }

  public Thresholds withAlpha(double a) {
    return new Thresholds(
        minSamples,
        effectPct,
        a,
        concurrencyRatio,
        swapAverageBytes,
        swapWindow,
        baselineRuns,
        controlWindow);
  }
}
