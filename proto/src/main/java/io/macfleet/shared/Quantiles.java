package io.macfleet.shared;

import java.util.Arrays;
import java.util.Collection;

/**
 * The one percentile rule of every p50/p95/p99 macfleet stores or prints, on the agent and the controller alike:
 * linear interpolation between the closest ranks, Hyndman and Fan's type 7 (R's and NumPy's default). For n sorted
 * values x[0..n-1] the p-th percentile is at position h = (n - 1) p / 100: x[floor h] + (h - floor h) (x[floor h + 1]
 * - x[floor h]). Documented in docs/interchange.md.
 */
public final class Quantiles {
  private Quantiles() {}

  /** The percentile of a sorted sample; NaN when it is empty. */
  public static double of(double[] sorted, double percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percentile must be in [0, 100]: " + percent);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = (sorted.length - 1) * percent / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  /** The percentile of the measured values among {@code values} (null and NaN skipped); null when there are none. */
  public static Double of(Collection<Double> values, double percent) {
    double[] v = values.stream()
        .filter(x -> x != null && !x.isNaN())
        .mapToDouble(Double::doubleValue)
        .toArray();
    if (v.length == 0) {
      return null;
    }
    Arrays.sort(v);
    return of(v, percent);
  }
}
