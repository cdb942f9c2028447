package io.macfleet.agent.probe;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles: the value below which p % of the samples fall, always an observed sample. */
public final class Percentiles {
  private Percentiles() {}

  public static Double of(Collection<Double> values, double p) {
    double[] v = values.stream().filter(x -> x != null && !x.isNaN()).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return null;
    }
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    Arrays.sort(v);
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, rank - 1)];
  }
}
