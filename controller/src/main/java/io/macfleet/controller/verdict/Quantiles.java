package io.macfleet.controller.verdict;

/** Percentiles of a sorted sample, interpolated between ranks (the usual "type 7" definition). */
public final class Quantiles {
  private Quantiles() {}

  public static double of(double[] sorted, double percent) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = (sorted.length - 1) * percent / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
