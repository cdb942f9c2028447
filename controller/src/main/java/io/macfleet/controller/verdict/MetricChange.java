package io.macfleet.controller.verdict;

/**
 * One metric, baseline against candidate. higherIsWorse: TTFT (milliseconds) rather than a rate (tokens per
 * second). pValue is null where no test applies (a single cold sample).
 */
public record MetricChange(
    String name,
    double baseline,
    double candidate,
    double changePct,
    Double pValue,
    boolean higherIsWorse) {

  public static MetricChange of(
      String name, double baseline, double candidate, Double p, boolean higherIsWorse) {
    double pct = baseline == 0 ? 0 : (candidate - baseline) / baseline * 100.0;
    return new MetricChange(name, baseline, candidate, pct, p, higherIsWorse);
  }

  /** How much slower, in percent (negative when faster). */
  public double slowdownPct() {
    return higherIsWorse ? changePct : -changePct;
  }

  public boolean significant(double alpha) {
    return pValue == null || pValue < alpha;
  }

  public boolean slower(Thresholds t) {
    return slowdownPct() > t.effectPct() && significant(t.alpha());
  }

  public boolean faster(Thresholds t) {
    return slowdownPct() < -t.effectPct() && significant(t.alpha());
  }
}
