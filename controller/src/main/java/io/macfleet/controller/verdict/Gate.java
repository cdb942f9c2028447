package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.interchange.SampleColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The runbook's numeric gates for a change ticket or CI: N ≥ 24 steady samples a side before any speed claim,
 * N-way TTFT p95 ≤ 2.8 × 1-way, 90-second swap average ≤ 768 MB, no regression past the effect threshold; Gate A
 * (the same digest and declared dtype, {@link IdentityGate}) and Gate C (callers within what was measured, no
 * truncated prompts, {@link ClientsGate}).
 * Candidate side: each selected host's newest run of the model (or the named runs). Baseline side: each
 * selected host's pinned baseline, else its runs other than the candidates (the newest K), or the named runs.
 */
public final class Gate {
  public enum Result {
    PASS,
    FAIL,
    INSUFFICIENT_DATA,
    NOT_MEASURED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One gate's rule; nextStep is the runbook's way out of a failure (null when it passes or none applies). */
  public record Rule(
      String rule, int level, String figure, String limit, Result result, NextStep nextStep) {
    public Rule(String rule, int level, String figure, String limit, Result result) {
      this(rule, level, figure, limit, result, null);
    }
  }

  public record Outcome(
      Result result, List<Rule> rules, List<String> baselineRuns, List<String> candidateRuns) {}

  private Gate() {}

  public static Outcome evaluate(
      Dataset d, String model, RunSelector baseline, RunSelector candidate, Thresholds t) {
    d.index();
    Map<VerdictEngine.SeriesKey, List<Records.Run>> series = VerdictEngine.series(d);
    List<Records.Run> cand = candidates(d, series, model, candidate);
    List<Records.Run> base = baseline(d, series, model, baseline, cand, t);
    List<Rule> rules = new ArrayList<>();
    List<SampleColumns> cs = cand.stream().map(r -> d.samples(r.run())).toList();
    List<SampleColumns> bs = base.stream().map(r -> d.samples(r.run())).toList();
    TreeSet<Integer> levels = new TreeSet<>();
    cs.forEach(s -> levels.addAll(s.levels()));
    if (levels.isEmpty()) {
      rules.add(new Rule(
          "samples",
          0,
          "no candidate run of " + model,
          ">= " + t.minSamples(),
          Result.INSUFFICIENT_DATA));
    }
    for (int level : levels) {
      LevelComparison c = LevelComparison.of(
          new LevelComparison.Pool(bs, level, false), new LevelComparison.Pool(cs, level, false));
      boolean enough = c.baselineN() >= t.minSamples() && c.candidateN() >= t.minSamples();
      rules.add(new Rule(
          "samples",
          level,
          c.baselineN() + " baseline / " + c.candidateN() + " candidate",
          ">= " + t.minSamples() + " each",
          enough ? Result.PASS : Result.INSUFFICIENT_DATA));
      if (enough) {
        MetricChange worst = c.worst();
        rules.add(new Rule(
            "regression",
            level,
            worst == null
                ? "-"
                : String.format(
                    Locale.ROOT,
                    "%s %+.1f%% (p=%.2g)",
                    worst.name(),
                    worst.changePct(),
                    worst.pValue()),
            String.format(
                Locale.ROOT, "no metric slower than %.0f%% at p<%.2g", t.effectPct(), t.alpha()),
            c.regressed(t) ? Result.FAIL : Result.PASS));
      } else {
        rules.add(new Rule(
            "regression", level, "not judged", "needs the samples rule", Result.INSUFFICIENT_DATA));
      }
      if (level > 1) {
        LevelComparison one = LevelComparison.of(
            new LevelComparison.Pool(bs, 1, false), new LevelComparison.Pool(cs, 1, false));
        if (one.candidateN() >= t.minSamples() && c.candidateN() >= t.minSamples()) {
          double ratio = c.candidateTtftP95() / one.candidateTtftP95();
          rules.add(new Rule(
              "concurrency_ratio",
              level,
              String.format(
                  Locale.ROOT,
                  "TTFT p95 %.0f / %.0f ms = %.2f×",
                  c.candidateTtftP95(),
                  one.candidateTtftP95(),
                  ratio),
              String.format(Locale.ROOT, "<= %.1f×", t.concurrencyRatio()),
              ratio <= t.concurrencyRatio() ? Result.PASS : Result.FAIL,
              ratio <= t.concurrencyRatio() ? null : NextStep.ARCHITECTURE_REVIEW));
        } else {
          rules.add(new Rule(
              "concurrency_ratio",
              level,
              "needs 1-way and " + level + "-way samples",
              String.format(Locale.ROOT, "<= %.1f×", t.concurrencyRatio()),
              Result.INSUFFICIENT_DATA));
        }
      }
    }
    double worstSwap = Double.NaN;
    for (Records.Run r : cand) {
      Instant end = r.endedAt() != null ? r.endedAt() : r.startedAt().plus(Duration.ofMinutes(10));
      // the worst 90 s inside the run, not only its last 90 s: swapping mid-run hurt the figures
      // too
      double s = EnvironmentSignals.worstSwapAverage(
          d.telemetry(r.host()), r.startedAt(), end, t.swapWindow());
      if (!Double.isNaN(s) && (Double.isNaN(worstSwap) || s > worstSwap)) {
        worstSwap = s;
      }
    }
    String swapLimit = "<= " + (t.swapAverageBytes() >> 20) + " MB";
    rules.add(
        Double.isNaN(worstSwap)
            ? new Rule(
                "swap_90s_avg",
                0,
                "no swap figures in the candidate runs' window",
                swapLimit,
                Result.NOT_MEASURED)
            : new Rule(
                "swap_90s_avg",
                0,
                String.format(Locale.ROOT, "%.0f MB", worstSwap / (1 << 20)),
                swapLimit,
                worstSwap <= t.swapAverageBytes() ? Result.PASS : Result.FAIL));
    rules.addAll(IdentityGate.rules(d, model, base, cand)); // Gate A
    rules.addAll(ClientsGate.rules(d, cand)); // Gate C
    Result overall = rules.stream().anyMatch(r -> r.result() == Result.FAIL)
        ? Result.FAIL
        : rules.stream().anyMatch(r -> r.result() == Result.INSUFFICIENT_DATA)
            ? Result.INSUFFICIENT_DATA
            : Result.PASS;
    return new Outcome(
        overall,
        rules,
        base.stream().map(Records.Run::run).toList(),
        cand.stream().map(Records.Run::run).toList());
  }

  private static List<Records.Run> candidates(
      Dataset d,
      Map<VerdictEngine.SeriesKey, List<Records.Run>> series,
      String model,
      RunSelector sel) {
    if (sel.byRun()) {
      return byIds(d, sel, model);
    }
    List<Records.Run> out = new ArrayList<>();
    for (String host : sel.hostNames(d)) {
      series.entrySet().stream()
          .filter(e -> e.getKey().host().equals(host) && e.getKey().model().equals(model))
          .flatMap(e -> VerdictEngine.latestCandidate(e.getValue()).stream())
          .max(Comparator.comparing(Records.Run::startedAt))
          .ifPresent(out::add);
    }
    return out;
  }

  private static List<Records.Run> baseline(
      Dataset d,
      Map<VerdictEngine.SeriesKey, List<Records.Run>> series,
      String model,
      RunSelector sel,
      List<Records.Run> candidates,
      Thresholds t) {
    if (sel.byRun()) {
      return byIds(d, sel, model);
    }
    List<Records.Run> out = new ArrayList<>();
    for (String host : sel.hostNames(d)) {
      List<Records.Run> mine = series.entrySet().stream()
          .filter(e -> e.getKey().host().equals(host) && e.getKey().model().equals(model))
          .flatMap(e -> e.getValue().stream())
          .filter(r -> !RunPurpose.CONTROL_REPLAY.is(r.purpose()))
          .sorted(Comparator.comparing(Records.Run::startedAt))
          .toList();
      List<Records.Run> pinned = mine.stream().filter(Records.Run::baseline).toList();
      List<Records.Run> pool = !pinned.isEmpty()
          ? pinned
          : mine.stream()
              .filter(r -> !candidates.contains(r))
              .filter(r -> candidates.stream()
                  .noneMatch(
                      c -> c.host().equals(r.host()) && !r.startedAt().isBefore(c.startedAt())))
              .toList();
      out.addAll(pool.subList(Math.max(0, pool.size() - t.baselineRuns()), pool.size()));
    }
    return out;
  }

  private static List<Records.Run> byIds(Dataset d, RunSelector sel, String model) {
    List<Records.Run> out = new ArrayList<>();
    for (String id : new TreeSet<>(sel.runIds())) {
      Records.Run r = d.runs().get(id);
      if (r == null) {
        throw new IllegalArgumentException("no run " + id + " in the data");
      }
      if (!r.model().equals(model)) {
        throw new IllegalArgumentException("run " + id + " is of " + r.model() + ", not " + model);
      }
      out.add(r);
    }
    return out;
  }
}
