package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.interchange.SampleColumns;
import io.macfleet.controller.stats.FisherExact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The runbook's failure rows: a level whose requests fail more often than its baseline's (Fisher's exact test, one
 * sided, at the engine's alpha; never a fixed count) gets a failure verdict with its symptom (the dominant failure
 * class) and its scope, found in the runbook's order: clean at 1-way in the same run (concurrency only); another
 * quantization of the model clean on the same host in the same window (quantization specific); the same-generation
 * control with the same triple clean (host local) or failing too (fleet); otherwise unknown, with the reason.
 */
final class FailureJudge {
  private final VerdictEngine engine;
  private final Thresholds t;

  FailureJudge(VerdictEngine engine) {
    this.engine = engine;
    this.t = engine.thresholds();
  }

  /** How often a level failed, and how. */
  record Tally(int failed, int requests) {
    static Tally of(List<SampleColumns> runs, int level) {
      int f = 0;
      int n = 0;
      for (SampleColumns s : runs) {
        f += s.failures(level);
        n += s.requests(level);
      }
      return new Tally(f, n);
    }

    double pct() {
      return requests == 0 ? 0 : 100.0 * failed / requests;
    }

    /** The one-sided p-value that this fails more often than {@code base}. */
    double worseThan(Tally base) {
      return FisherExact.moreFailures(failed, requests, base.failed, base.requests);
    }

    String words() {
      return failed + " of " + requests + " requests";
    }
  }

  Optional<Verdict> judge(
      Dataset d,
      Map<VerdictEngine.SeriesKey, List<Records.Run>> series,
      Records.Run candidate,
      List<Records.Run> baseline,
      int level,
      LevelComparison speed) {
    SampleColumns cand = d.samples(candidate.run());
    Tally now = Tally.of(List.of(cand), level);
    Tally before = Tally.of(samples(d, baseline), level);
    if (now.failed() == 0 || before.requests() == 0) {
      return Optional.empty();
    }
    double p = now.worseThan(before);
    if (p >= t.alpha()) {
      return Optional.empty();
    }
    Map<String, Integer> classes = cand.failureClasses(level);
    String dominant = classes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse("other");
    Verdict.Symptom symptom = Verdict.Symptom.of(dominant);
    Finding scope = scope(d, series, candidate, baseline, level);
    List<String> factors = new ArrayList<>();
    if (candidate.backend() != null) {
      factors.add(candidate.backend());
    }
    factors.addAll(VerdictEngine.tripleFactors(
        candidate, baseline.isEmpty() ? null : baseline.get(baseline.size() - 1)));
    Map<String, MetricChange> metrics = new java.util.LinkedHashMap<>();
    metrics.put(
        "error_rate_pct", MetricChange.of("error_rate_pct", before.pct(), now.pct(), p, true));
    metrics.putAll(speed.metrics());
    String how = classes.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
    String why = String.format(
        Locale.ROOT,
        "%s on %s (%d-way): %s failed (%.0f%%; %s) against %s in the baseline (%.0f%%, p=%.2g); %s",
        symptom.wire().replace('_', ' '),
        candidate.host(),
        level,
        now.words(),
        now.pct(),
        how,
        before.words(),
        before.pct(),
        p,
        scope.why());
    return Optional.of(new Verdict(
        candidate.host(),
        candidate.run(),
        candidate.model(),
        level,
        Verdict.Kind.FAILURE,
        List.copyOf(factors),
        metrics,
        scope.control(),
        why,
        new Verdict.Failure(symptom, scope.scope(), now.failed(), now.requests())));
  }

  private record Finding(Verdict.Scope scope, Verdict.Control control, String why) {}

  private Finding scope(
      Dataset d,
      Map<VerdictEngine.SeriesKey, List<Records.Run>> series,
      Records.Run candidate,
      List<Records.Run> baseline,
      int level) {
    if (level > 1) {
      Tally one = Tally.of(List.of(d.samples(candidate.run())), 1);
      Tally oneBefore = Tally.of(samples(d, baseline), 1);
      boolean clean = one.requests() > 0
          && (one.failed() == 0
              || oneBefore.requests() > 0 && one.worseThan(oneBefore) >= t.alpha());
      if (clean) {
        return new Finding(
            Verdict.Scope.CONCURRENCY_ONLY,
            null,
            "clean at 1-way in the same run (" + one.words() + " failed): it fails only under "
                + "parallelism");
      }
    }
    Optional<Finding> quant = otherQuantization(d, series, candidate, level);
    if (quant.isPresent()) {
      return quant.get();
    }
    return control(d, series, candidate, baseline, level);
  }

  /** Another quantization of the same model, on the same host, within the control window, clean at the level. */
  private Optional<Finding> otherQuantization(
      Dataset d,
      Map<VerdictEngine.SeriesKey, List<Records.Run>> series,
      Records.Run candidate,
      int level) {
    ModelTag mine = ModelTag.of(candidate.model());
    if (mine.quantization() == null) {
      return Optional.empty();
    }
    return series.entrySet().stream()
        .filter(e -> e.getKey().host().equals(candidate.host())
            && ModelTag.of(e.getKey().model()).otherQuantizationOf(mine))
        .flatMap(e -> e.getValue().stream())
        .filter(r -> near(r, candidate))
        .filter(r -> d.samples(r.run()).requests(level) > 0)
        .min(Comparator.comparing(r -> gap(r, candidate)))
        .filter(r -> d.samples(r.run()).failures(level) == 0)
        .map(r -> new Finding(
            Verdict.Scope.QUANT_SPECIFIC,
            null,
            ModelTag.of(r.model()).quantization() + " (" + r.model() + ") ran clean on "
                + candidate.host() + " in run " + r.run() + ": only " + mine.quantization()
                + " fails"));
  }

  /**
   * The control: a run of the model on a role=control host of the same chip generation under the same triple,
   * within the control window (control replays first, then the closest in time). It reproduces the failure when
   * it fails more often than its own baseline (or, without one, than the suspect's).
   */
  private Finding control(
      Dataset d,
      Map<VerdictEngine.SeriesKey, List<Records.Run>> series,
      Records.Run candidate,
      List<Records.Run> baseline,
      int level) {
    String gen = VerdictEngine.generation(d, candidate.host());
    if (gen == null) {
      return unknown(candidate.host() + "'s chip generation is unknown");
    }
    List<String> controls = d.hosts().values().stream()
        .filter(h ->
            h.isControl() && !h.host().equals(candidate.host()) && gen.equals(h.chipGeneration()))
        .map(Records.Host::host)
        .sorted()
        .toList();
    if (controls.isEmpty()) {
      return unknown("no host with role=control and chip " + gen);
    }
    List<Records.Run> near = controls.stream()
        .flatMap(h -> series
            .getOrDefault(
                new VerdictEngine.SeriesKey(
                    h,
                    candidate.model(),
                    candidate.promptSet() == null ? "" : candidate.promptSet()),
                List.of())
            .stream())
        .filter(r -> near(r, candidate))
        .filter(r -> d.samples(r.run()).requests(level) > 0)
        .toList();
    if (near.isEmpty()) {
      return unknown("no run of " + candidate.model() + " at " + level + "-way on "
          + String.join(", ", controls) + " within " + t.controlWindow().toHours() + " h");
    }
    List<Records.Run> same =
        near.stream().filter(r -> VerdictEngine.sameTriple(r, candidate)).toList();
    if (same.isEmpty()) {
      return unknown(near.get(0).host() + " runs a different triple ("
          + VerdictEngine.tripleChanges(candidate, near.get(0)) + ")");
    }
    Records.Run best = same.stream()
        .min(Comparator.comparing(
                (Records.Run r) -> RunPurpose.CONTROL_REPLAY.is(r.purpose()) ? 0 : 1)
            .thenComparing(r -> gap(r, candidate)))
        .orElseThrow();
    Tally there = Tally.of(List.of(d.samples(best.run())), level);
    List<Records.Run> ownBase = engine.baselineFor(series.get(VerdictEngine.key(best)), best);
    Tally reference = Tally.of(samples(d, ownBase), level);
    if (reference.requests() == 0) {
      reference = Tally.of(samples(d, baseline), level);
    }
    boolean reproduced =
        there.failed() > 0 && (reference.requests() == 0 || there.worseThan(reference) < t.alpha());
    String name = best.host() + " (" + gen + ", same triple)";
    return reproduced
        ? new Finding(
            Verdict.Scope.FLEET,
            new Verdict.Control(best.host(), best.run(), true),
            "reproduced on control " + name + ": " + there.words() + " failed")
        : new Finding(
            Verdict.Scope.HOST_LOCAL,
            new Verdict.Control(best.host(), best.run(), false),
            "control " + name + " ran clean (" + there.words() + " failed): it fails on "
                + candidate.host() + " alone");
  }

  private static Finding unknown(String why) {
    return new Finding(Verdict.Scope.UNKNOWN, null, "no usable control: " + why);
  }

  private boolean near(Records.Run r, Records.Run candidate) {
    return r != candidate && gap(r, candidate).compareTo(t.controlWindow()) <= 0;
  }

  private static Duration gap(Records.Run r, Records.Run candidate) {
    return Duration.between(candidate.startedAt(), r.startedAt()).abs();
  }

  private static List<SampleColumns> samples(Dataset d, List<Records.Run> runs) {
    return runs.stream().map(r -> d.samples(r.run())).toList();
  }
}
