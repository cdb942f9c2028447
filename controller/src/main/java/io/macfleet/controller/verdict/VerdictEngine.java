package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.interchange.SampleColumns;
import io.macfleet.shared.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The runbook's decision matrix. A candidate run is compared with its host's baseline, level by level; a
 * slowdown is then replayed against a same-generation control host under the same triple: reproduced there, it
 * is software (and the factors say what changed in the triple); flat there while the suspect's run window shows
 * heat, sleep, battery, undocking, swap or memory pressure, it is the environment; anything else is
 * unattributed, with the reason. No guessing.
 */
public final class VerdictEngine {
  private final Thresholds t;
  private final FailureJudge failures;

  public VerdictEngine(Thresholds thresholds) {
    this.t = thresholds;
    this.failures = new FailureJudge(this);
  }

  public Thresholds thresholds() {
    return t;
  }

  /** Which runs are compared: one host, one model, one prompt set. */
  public record SeriesKey(String host, String model, String promptSet) {}

  /** analyze: each host × model × prompt set's newest candidate run, judged against its baseline. */
  public List<Verdict> judgeLatest(Dataset d) {
    d.index();
    Map<SeriesKey, List<Records.Run>> series = series(d);
    return series.values().parallelStream()
        .flatMap(runs -> {
          Optional<Records.Run> candidate = latestCandidate(runs);
          return candidate
              .map(c -> judge(d, series, c).stream())
              .orElseGet(java.util.stream.Stream::empty);
        })
        .sorted(Comparator.comparing(Verdict::host)
            .thenComparing(Verdict::model)
            .thenComparing(Verdict::run)
            .thenComparingInt(Verdict::concurrency))
        .toList();
  }

  public static Map<SeriesKey, List<Records.Run>> series(Dataset d) {
    Map<SeriesKey, List<Records.Run>> out = new HashMap<>();
    for (Records.Run r : d.runs().values()) {
      out.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    out.values()
        .forEach(l ->
            l.sort(Comparator.comparing(Records.Run::startedAt).thenComparing(Records.Run::run)));
    return out;
  }

  static SeriesKey key(Records.Run r) {
    return new SeriesKey(r.host(), r.model(), r.promptSet() == null ? "" : r.promptSet());
  }

  /** Control replays are evidence for another host's verdict, not candidates of their own. */
  static Optional<Records.Run> latestCandidate(List<Records.Run> sortedRuns) {
    for (int i = sortedRuns.size() - 1; i >= 0; i--) {
      Records.Run r = sortedRuns.get(i);
      if (!RunPurpose.CONTROL_REPLAY.is(r.purpose()) && !r.baseline()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The pinned baseline runs of the series if any are marked, else the runs before the candidate; newest K. */
  public List<Records.Run> baselineFor(List<Records.Run> sortedRuns, Records.Run candidate) {
    List<Records.Run> pinned = sortedRuns.stream()
        .filter(Records.Run::baseline)
        .filter(r -> r != candidate)
        .toList();
    // replays are evidence for a verdict, not history: a suspect's slow recheck must not become its
    // baseline
    List<Records.Run> pool = !pinned.isEmpty()
        ? pinned
        : sortedRuns.stream()
            .filter(r -> r.startedAt().isBefore(candidate.startedAt()) && r != candidate)
            .filter(r -> !RunPurpose.CONTROL_REPLAY.is(r.purpose()))
            .toList();
    return pool.subList(Math.max(0, pool.size() - t.baselineRuns()), pool.size());
  }

  /** Every level of one candidate run. */
  public List<Verdict> judge(
      Dataset d, Map<SeriesKey, List<Records.Run>> series, Records.Run candidate) {
    List<Records.Run> baseline =
        baselineFor(series.getOrDefault(key(candidate), List.of()), candidate);
    SampleColumns cand = d.samples(candidate.run());
    List<SampleColumns> base = baseline.stream().map(r -> d.samples(r.run())).toList();
    List<Verdict> out = new ArrayList<>();
    Optional<String> drift = drift(d, series, candidate);
    Map<Integer, LevelComparison> byLevel = new LinkedHashMap<>();
    for (int level : cand.levels()) {
      byLevel.put(
          level,
          LevelComparison.of(
              new LevelComparison.Pool(base, level, false),
              new LevelComparison.Pool(List.of(cand), level, false)));
    }
    for (int level : cand.levels()) {
      out.add(judgeLevel(d, series, candidate, baseline, base, cand, level, byLevel, drift));
    }
    return out;
  }

  private Verdict judgeLevel(
      Dataset d,
      Map<SeriesKey, List<Records.Run>> series,
      Records.Run candidate,
      List<Records.Run> baseline,
      List<SampleColumns> base,
      SampleColumns cand,
      int level,
      Map<Integer, LevelComparison> byLevel,
      Optional<String> drift) {
    LevelComparison cmp = byLevel.get(level);
    String where = candidate.host() + " (" + level + "-way)";
    if (drift.isPresent()) {
      // a drifted digest never hides a slowdown: the metrics stay, and the explanation says how the
      // run fared
      return verdict(
          candidate,
          level,
          Verdict.Kind.DIGEST_DRIFT,
          List.of("digest"),
          cmp,
          null,
          drift.get() + "; " + slower(cmp));
    }
    if (baseline.isEmpty()) {
      return verdict(
          candidate,
          level,
          Verdict.Kind.INSUFFICIENT_DATA,
          List.of(),
          cmp,
          null,
          "no earlier run of "
              + candidate.model() + " on " + candidate.host() + " to compare with yet: run "
              + candidate.run()
              + " starts the baseline");
    }
    // a level that fails more often than its baseline is judged on its failures first: its speed
    // figures, from the requests that survived, stay in its metrics
    Optional<Verdict> failed = failures.judge(d, series, candidate, baseline, level, cmp);
    if (failed.isPresent()) {
      return failed.get();
    }
    if (cmp.baselineN() < t.minSamples() || cmp.candidateN() < t.minSamples()) {
      return verdict(
          candidate,
          level,
          Verdict.Kind.INSUFFICIENT_DATA,
          List.of(),
          cmp,
          null,
          String.format(
              "%d steady-state samples in the baseline (%d run(s)) and %d in run %s on %s; %d a side are needed before "
                  + "any speed claim",
              cmp.baselineN(),
              baseline.size(),
              cmp.candidateN(),
              candidate.run(),
              where,
              t.minSamples()));
    }
    LevelComparison one = byLevel.get(1);
    boolean oneJudgeable = one != null
        && level != 1
        && one.baselineN() >= t.minSamples()
        && one.candidateN() >= t.minSamples();
    if (!cmp.regressed(t)) {
      if (oneJudgeable
          && one.candidateTtftP95() > 0
          && cmp.candidateTtftP95() / one.candidateTtftP95() > t.concurrencyRatio()) {
        return verdict(
            candidate,
            level,
            Verdict.Kind.CONCURRENCY,
            List.of(),
            cmp,
            null,
            String.format(
                Locale.ROOT,
                "%d-way TTFT p95 %.0f ms is %.1f× the 1-way p95 %.0f ms on %s (limit %.1f×): requests queue",
                level,
                cmp.candidateTtftP95(),
                cmp.candidateTtftP95() / one.candidateTtftP95(),
                one.candidateTtftP95(),
                candidate.host(),
                t.concurrencyRatio()));
      }
      Optional<MetricChange> cold = coldChange(base, cand, level);
      if (cold.isPresent()) {
        Map<String, MetricChange> m = new LinkedHashMap<>(cmp.metrics());
        m.put(cold.get().name(), cold.get());
        return new Verdict(
            candidate.host(),
            candidate.run(),
            candidate.model(),
            level,
            Verdict.Kind.COLD_START,
            List.of(),
            m,
            null,
            String.format(
                Locale.ROOT,
                "first-call TTFT %+.0f%% (%.0f → %.0f ms) on %s while "
                    + "steady state held; a load or compile cost, not a steady-state regression (Gate B)",
                cold.get().changePct(),
                cold.get().baseline(),
                cold.get().candidate(),
                where));
      }
      if (cmp.improved(t)) {
        MetricChange best = cmp.metrics().values().stream()
            .filter(x -> x.faster(t))
            .min(Comparator.comparingDouble(MetricChange::slowdownPct))
            .orElseThrow();
        return verdict(
            candidate,
            level,
            Verdict.Kind.IMPROVEMENT,
            List.of(),
            cmp,
            null,
            String.format(
                Locale.ROOT, "%s %s on %s (p=%.2g)", label(best), pct(best), where, best.pValue()));
      }
      return verdict(
          candidate,
          level,
          Verdict.Kind.NO_CHANGE,
          List.of(),
          cmp,
          null,
          String.format(
              Locale.ROOT,
              "no change beyond %.0f%% at p<%.2g on %s (%d vs %d samples)",
              t.effectPct(),
              t.alpha(),
              where,
              cmp.baselineN(),
              cmp.candidateN()));
    }
    MetricChange worst = cmp.worst();
    String slower = label(worst) + " " + pct(worst) + " on " + where;
    if (oneJudgeable && !one.regressed(t)) {
      return verdict(
          candidate,
          level,
          Verdict.Kind.CONCURRENCY,
          List.of(),
          cmp,
          null,
          slower + " while the 1-way level held: a concurrency regression");
    }
    Instant from = candidate.startedAt();
    Instant to = candidate.endedAt() != null
        ? candidate.endedAt()
        : candidate.startedAt().plus(Duration.ofMinutes(10));
    EnvironmentSignals.Signals env = EnvironmentSignals.during(d, candidate.host(), from, to, t);
    ControlPick pick = control(d, series, candidate, level);
    if (pick.run == null) {
      return verdict(
          candidate,
          level,
          Verdict.Kind.UNATTRIBUTED,
          List.of(),
          cmp,
          null,
          slower + "; " + pick.why
              + (env.any()
                  ? "; environment signals in the window (" + String.join(", ", env.phrases())
                      + ") but without a flat control that is not proof"
                  : ""));
    }
    String controlName = pick.run.host() + " (" + generation(d, pick.run.host()) + ", same triple)";
    if (pick.comparison.regressed(t)) {
      List<String> factors =
          tripleFactors(candidate, baseline.isEmpty() ? null : baseline.get(baseline.size() - 1));
      Verdict.Control c = new Verdict.Control(pick.run.host(), pick.run.run(), true);
      if (factors.isEmpty()) {
        return verdict(
            candidate,
            level,
            Verdict.Kind.UNATTRIBUTED,
            List.of(),
            cmp,
            c,
            slower + "; control "
                + controlName
                + " slowed too, but nothing in the triple changed since the baseline: look for a "
                + "fleet-wide cause");
      }
      return verdict(
          candidate,
          level,
          Verdict.Kind.SOFTWARE_REGRESSION,
          factors,
          cmp,
          c,
          slower
              + "; reproduced on control " + controlName + " " + pct(pick.comparison.worst())
              + "; changed since the "
              + "baseline: " + tripleChanges(candidate, baseline.get(baseline.size() - 1)));
    }
    Verdict.Control c = new Verdict.Control(pick.run.host(), pick.run.run(), false);
    if (env.any()) {
      return verdict(
          candidate,
          level,
          Verdict.Kind.ENVIRONMENT,
          env.factors(),
          cmp,
          c,
          slower + " under " + String.join(", ", env.phrases()) + "; control " + controlName
              + " flat");
    }
    return verdict(
        candidate,
        level,
        Verdict.Kind.UNATTRIBUTED,
        List.of(),
        cmp,
        c,
        slower + "; control " + controlName
            + " flat, yet no environment signal in the run window: the evidence conflicts");
  }

  /** Whether a level was slower than its baseline, in words, whatever else the verdict is about. */
  private String slower(LevelComparison cmp) {
    if (cmp.baselineN() < t.minSamples() || cmp.candidateN() < t.minSamples()) {
      return "too few samples to tell whether the run was slower (" + cmp.baselineN()
          + " baseline, " + cmp.candidateN() + " candidate)";
    }
    MetricChange worst = cmp.worst();
    if (cmp.regressed(t) && worst != null) {
      return String.format(
          java.util.Locale.ROOT,
          "and the run was slower: %s %+.0f%%",
          worst.name(),
          worst.changePct());
    }
    return "the run was not slower than its baseline";
  }

  private Verdict verdict(
      Records.Run r,
      int level,
      Verdict.Kind k,
      List<String> factors,
      LevelComparison cmp,
      Verdict.Control control,
      String why) {
    return new Verdict(
        r.host(), r.run(), r.model(), level, k, factors, cmp.metrics(), control, why);
  }

  /** A second run on the suspect itself (the controller's recheck), against the candidate's baseline. */
  public LevelComparison recheck(
      Dataset d,
      Map<SeriesKey, List<Records.Run>> series,
      Records.Run candidate,
      Records.Run recheck,
      int level) {
    List<Records.Run> base = baselineFor(series.getOrDefault(key(candidate), List.of()), candidate);
    return LevelComparison.of(
        new LevelComparison.Pool(base.stream().map(r -> d.samples(r.run())).toList(), level, false),
        new LevelComparison.Pool(List.of(d.samples(recheck.run())), level, false));
  }

  /** First-call TTFT, candidate against the baseline's first calls; judged apart from steady state (Gate B). */
  private Optional<MetricChange> coldChange(
      List<SampleColumns> base, SampleColumns cand, int level) {
    double[] b = new LevelComparison.Pool(base, level, true).sorted(SampleColumns.Metric.TTFT_MS);
    double[] c =
        new LevelComparison.Pool(List.of(cand), level, true).sorted(SampleColumns.Metric.TTFT_MS);
    if (b.length < 3 || c.length == 0) {
      return Optional.empty();
    }
    Double p = c.length >= 3 ? LevelComparison.p(b, c) : null;
    MetricChange m =
        MetricChange.of("cold_ttft_ms", Quantiles.of(b, 50), Quantiles.of(c, 50), p, true);
    // first calls are one sample a run and noisy (disk cache, compile): twice the effect threshold,
    // and above
    // the baseline's own first-call p95, before a cold start is called
    boolean clear = m.slowdownPct() > 2 * t.effectPct()
        && m.candidate() > Quantiles.of(b, 95)
        && m.significant(t.alpha());
    return clear ? Optional.of(m) : Optional.empty();
  }

  private record ControlPick(Records.Run run, LevelComparison comparison, String why) {}

  /**
   * The control run for a suspect: a run of the same model on a control host of the same chip generation,
   * under the same triple, started within the control window; control replays first, then the closest in time.
   */
  private ControlPick control(
      Dataset d, Map<SeriesKey, List<Records.Run>> series, Records.Run suspect, int level) {
    String gen = generation(d, suspect.host());
    if (gen == null) {
      return new ControlPick(
          null,
          null,
          "no usable control host: " + suspect.host() + "'s chip generation is " + "unknown");
    }
    List<String> controls = d.hosts().values().stream()
        .filter(h ->
            h.isControl() && !h.host().equals(suspect.host()) && gen.equals(h.chipGeneration()))
        .map(Records.Host::host)
        .toList();
    if (controls.isEmpty()) {
      return new ControlPick(
          null, null, "no usable control host: none with role=control and chip " + gen);
    }
    List<Records.Run> near = new ArrayList<>();
    for (String h : controls) {
      for (Records.Run r : series.getOrDefault(
          new SeriesKey(h, suspect.model(), suspect.promptSet() == null ? "" : suspect.promptSet()),
          List.of())) {
        if (Duration.between(suspect.startedAt(), r.startedAt()).abs().compareTo(t.controlWindow())
            <= 0) {
          near.add(r);
        }
      }
    }
    if (near.isEmpty()) {
      return new ControlPick(
          null,
          null,
          "no usable control host: no run of " + suspect.model() + " on "
              + String.join(", ", controls) + " within " + t.controlWindow().toHours()
              + " h of run " + suspect.run());
    }
    List<Records.Run> sameTriple =
        near.stream().filter(r -> sameTriple(r, suspect)).toList();
    if (sameTriple.isEmpty()) {
      Records.Run r = near.get(0);
      return new ControlPick(
          null,
          null,
          "no usable control host: " + r.host() + " runs a different triple ("
              + tripleChanges(suspect, r) + ")");
    }
    Records.Run best = sameTriple.stream()
        .min(Comparator.comparing(
                (Records.Run r) -> RunPurpose.CONTROL_REPLAY.is(r.purpose()) ? 0 : 1)
            .thenComparing(
                r -> Duration.between(suspect.startedAt(), r.startedAt()).abs()))
        .orElseThrow();
    List<Records.Run> controlBase = baselineFor(series.get(key(best)), best);
    LevelComparison cmp = LevelComparison.of(
        new LevelComparison.Pool(
            controlBase.stream().map(r -> d.samples(r.run())).toList(), level, false),
        new LevelComparison.Pool(List.of(d.samples(best.run())), level, false));
    if (cmp.baselineN() < t.minSamples() || cmp.candidateN() < t.minSamples()) {
      return new ControlPick(
          null,
          null,
          "no usable control host: control run " + best.run() + " on " + best.host()
              + " has " + cmp.candidateN() + " samples at " + level + "-way against "
              + cmp.baselineN()
              + " in its baseline (" + t.minSamples() + " a side needed)");
    }
    return new ControlPick(best, cmp, "");
  }

  /**
   * The digest drift check: the host's digest for the model tag against its comparison hosts' — control hosts
   * of its generation when there are any, else every other host — each host's newest run at or before this one.
   */
  private Optional<String> drift(
      Dataset d, Map<SeriesKey, List<Records.Run>> series, Records.Run candidate) {
    if (candidate.digest() == null) {
      return Optional.empty();
    }
    String gen = generation(d, candidate.host());
    Map<String, Records.Run> newestOther = new HashMap<>();
    Instant until = candidate.startedAt().plus(t.controlWindow());
    for (Map.Entry<SeriesKey, List<Records.Run>> e : series.entrySet()) {
      if (e.getKey().host().equals(candidate.host())
          || !e.getKey().model().equals(candidate.model())) {
        continue;
      }
      Records.Run r = newestAtOrBefore(e.getValue(), until);
      if (r != null && r.digest() != null) {
        newestOther.merge(r.host(), r, (a, b) -> a.startedAt().isAfter(b.startedAt()) ? a : b);
      }
    }
    if (newestOther.isEmpty()) {
      return Optional.empty();
    }
    List<Records.Run> controls = newestOther.values().stream()
        .filter(r -> {
          Records.Host h = d.hosts().get(r.host());
          return h != null && h.isControl() && Objects.equals(gen, h.chipGeneration());
        })
        .toList();
    List<Records.Run> reference = controls.isEmpty() ? List.copyOf(newestOther.values()) : controls;
    Map<String, Long> counts = reference.stream()
        .collect(Collectors.groupingBy(Records.Run::digest, Collectors.counting()));
    long top = counts.values().stream().max(Long::compare).orElse(0L);
    if (counts.getOrDefault(candidate.digest(), 0L) == top) {
      return Optional
          .empty(); // it runs what most of its comparison hosts run (or there is no majority)
    }
    String common = counts.entrySet().stream()
        .filter(e -> e.getValue() == top)
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .orElseThrow();
    List<String> names = reference.stream()
        .filter(r -> r.digest().equals(common))
        .map(Records.Run::host)
        .sorted()
        .limit(3)
        .toList();
    return Optional.of(candidate.host() + " runs " + candidate.model() + " as "
        + candidate.digest().substring(0, 12)
        + ", its comparison hosts (" + String.join(", ", names) + (top > 3 ? ", …" : "") + ") as "
        + common.substring(0, 12) + ": same tag, different blobs");
  }

  private static Records.Run newestAtOrBefore(List<Records.Run> sorted, Instant until) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).startedAt().isAfter(until)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo == 0 ? null : sorted.get(lo - 1);
  }

  static boolean sameTriple(Records.Run a, Records.Run b) {
    return Objects.equals(a.ollamaVersion(), b.ollamaVersion())
        && Objects.equals(a.digest(), b.digest())
        && Objects.equals(a.osBuild(), b.osBuild())
        && Objects.equals(a.backend(), b.backend());
  }

  /** What changed in the triple from the reference run to this one, as interchange factors. */
  static List<String> tripleFactors(Records.Run now, Records.Run before) {
    List<String> f = new ArrayList<>();
    if (before == null) {
      return f;
    }
    if (changed(now.ollamaVersion(), before.ollamaVersion())) {
      f.add("ollama_version");
    }
    if (changed(now.digest(), before.digest())) {
      f.add("digest");
    }
    if (changed(now.osBuild(), before.osBuild())) {
      f.add("os_build");
    }
    if (changed(now.backend(), before.backend())) {
      f.add("backend");
    }
    return f;
  }

  static String tripleChanges(Records.Run now, Records.Run before) {
    List<String> s = new ArrayList<>();
    if (changed(now.ollamaVersion(), before.ollamaVersion())) {
      s.add("Ollama " + before.ollamaVersion() + " → " + now.ollamaVersion());
    }
    if (changed(now.digest(), before.digest())) {
      s.add("digest " + before.digest().substring(0, 12) + " → " + now.digest().substring(0, 12));
    }
    if (changed(now.osBuild(), before.osBuild())) {
      s.add("macOS build " + before.osBuild() + " → " + now.osBuild());
    }
    if (changed(now.backend(), before.backend())) {
      s.add("backend " + before.backend() + " → " + now.backend());
    }
    return s.isEmpty() ? "nothing" : String.join(", ", s);
  }

  private static boolean changed(String now, String before) {
    return now != null && before != null && !now.equals(before);
  }

  static String generation(Dataset d, String host) {
    Records.Host h = d.hosts().get(host);
    return h == null ? null : h.chipGeneration();
  }

  private static String label(MetricChange m) {
    return switch (m.name()) {
      case "ttft_p50_ms" -> "TTFT p50";
      case "ttft_p95_ms" -> "TTFT p95";
      case "decode_tps" -> "decode tok/s";
      case "prefill_tps" -> "prefill tok/s";
      default -> m.name();
    };
  }

  private static String pct(MetricChange m) {
    return String.format(Locale.ROOT, "%+.0f%%", m.changePct());
  }
}
