package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.SampleColumns.Metric;
import io.macfleet.controller.stats.KolmogorovSmirnov;
import io.macfleet.controller.stats.MannWhitney;
import io.macfleet.shared.Quantiles;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Steady-state samples of one concurrency level, baseline against candidate: TTFT p50 and p95, decode and
 * prefill tok/s p50, each with the smaller p-value of Mann–Whitney and Kolmogorov–Smirnov on its samples.
 */
public record LevelComparison(
    int baselineN, int candidateN, double candidateTtftP95, Map<String, MetricChange> metrics) {

  public static LevelComparison of(Pool baseline, Pool candidate) {
    Map<String, MetricChange> m = new LinkedHashMap<>();
    double[] bt = baseline.sorted(Metric.TTFT_MS);
    double[] ct = candidate.sorted(Metric.TTFT_MS);
    double pt = p(bt, ct);
    if (bt.length > 0 && ct.length > 0) {
      m.put(
          "ttft_p50_ms",
          MetricChange.of("ttft_p50_ms", Quantiles.of(bt, 50), Quantiles.of(ct, 50), pt, true));
      m.put(
          "ttft_p95_ms",
          MetricChange.of("ttft_p95_ms", Quantiles.of(bt, 95), Quantiles.of(ct, 95), pt, true));
    }
    rate(m, "decode_tps", baseline.sorted(Metric.DECODE_TPS), candidate.sorted(Metric.DECODE_TPS));
    rate(
        m,
        "prefill_tps",
        baseline.sorted(Metric.PREFILL_TPS),
        candidate.sorted(Metric.PREFILL_TPS));
    return new LevelComparison(
        bt.length, ct.length, ct.length == 0 ? Double.NaN : Quantiles.of(ct, 95), m);
  }

  private static void rate(Map<String, MetricChange> m, String name, double[] b, double[] c) {
    if (b.length > 0 && c.length > 0) {
      m.put(name, MetricChange.of(name, Quantiles.of(b, 50), Quantiles.of(c, 50), p(b, c), false));
    }
  }

  static double p(double[] sortedA, double[] sortedB) {
    return Math.min(
        MannWhitney.pValue(sortedA, sortedB), KolmogorovSmirnov.pValue(sortedA, sortedB));
  }

  public boolean regressed(Thresholds t) {
    return metrics.values().stream().anyMatch(x -> x.slower(t));
  }

  public boolean improved(Thresholds t) {
    return !regressed(t) && metrics.values().stream().anyMatch(x -> x.faster(t));
  }

  /** The metric that slowed most (for the explanation). */
  public MetricChange worst() {
    return metrics.values().stream()
        .max(java.util.Comparator.comparingDouble(MetricChange::slowdownPct))
        .orElse(null);
  }

  /** Samples of one level pooled from one or more runs, sorted per metric on first use. */
  public static final class Pool {
    private final java.util.List<io.macfleet.controller.interchange.SampleColumns> runs;
    private final int level;
    private final boolean cold;
    private final Map<Metric, double[]> cache = new java.util.EnumMap<>(Metric.class);

    public Pool(
        java.util.List<io.macfleet.controller.interchange.SampleColumns> runs,
        int level,
        boolean cold) {
      this.runs = runs;
      this.level = level;
      this.cold = cold;
    }

    public int count() {
      int n = 0;
      for (var r : runs) {
        n += r.count(level, cold);
      }
      return n;
    }

    public double[] sorted(Metric m) {
      return cache.computeIfAbsent(m, k -> {
        int cap = 0;
        for (var r : runs) {
          cap += r.size();
        }
        double[] out = new double[cap];
        int at = 0;
        for (var r : runs) {
          at = r.copy(k, level, cold, out, at);
        }
        double[] v = Arrays.copyOf(out, at);
        Arrays.sort(v);
        return v;
      });
    }
  }
}
