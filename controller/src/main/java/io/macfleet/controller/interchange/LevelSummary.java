package io.macfleet.controller.interchange;

import io.macfleet.shared.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One concurrency level of a run, summarised from its samples: the one definition behind every `run_levels` row,
 * for probed runs (from the agent's samples) and imported ones alike. {@code samples} counts the steady requests
 * that succeeded, {@code errors} every failed request (cold ones included); the percentiles are over the steady
 * successes, by the one percentile rule ({@link Quantiles}), and null when there are none.
 */
public record LevelSummary(
    int concurrency,
    int samples,
    int errors,
    Double ttftP50Ms,
    Double ttftP95Ms,
    Double ttftP99Ms,
    Double prefillP50Tps,
    Double decodeP50Tps) {

  /** The levels of a run's samples, lowest concurrency first. */
  public static List<LevelSummary> of(List<Records.Sample> samples) {
    Map<Integer, List<Records.Sample>> byLevel = new TreeMap<>();
    samples.forEach(
        s -> byLevel.computeIfAbsent(s.concurrency(), k -> new ArrayList<>()).add(s));
    List<LevelSummary> out = new ArrayList<>();
    for (var e : byLevel.entrySet()) {
      List<Records.Sample> steady =
          e.getValue().stream().filter(s -> !s.cold() && s.error() == null).toList();
      List<Double> ttft = steady.stream().map(Records.Sample::ttftMs).toList();
      out.add(new LevelSummary(
          e.getKey(),
          steady.size(),
          (int) e.getValue().stream().filter(s -> s.error() != null).count(),
          Quantiles.of(ttft, 50),
          Quantiles.of(ttft, 95),
          Quantiles.of(ttft, 99),
          Quantiles.of(steady.stream().map(Records.Sample::prefillTps).toList(), 50),
          Quantiles.of(steady.stream().map(Records.Sample::decodeTps).toList(), 50)));
    }
    return out;
  }

  /**
   * The highest level's TTFT p95 over the 1-way's, as the agent reports it for a probed run; null without both a
   * 1-way level and a higher one, each with a p95.
   */
  public static Double ttftP95Ratio(List<LevelSummary> levels) {
    LevelSummary one = null;
    LevelSummary top = null;
    for (LevelSummary l : levels) {
      if (l.concurrency() == 1) {
        one = l;
      }
      if (top == null || l.concurrency() > top.concurrency()) {
        top = l;
      }
    }
    if (one == null
        || top == null
        || top.concurrency() <= 1
        || one.ttftP95Ms() == null
        || top.ttftP95Ms() == null
        || one.ttftP95Ms() <= 0) {
      return null;
    }
    return top.ttftP95Ms() / one.ttftP95Ms();
  }
}
