package io.macfleet.controller.verdict;

import io.macfleet.controller.fleet.RunListener;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.interchange.AgentRunMapper;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.InterchangeRepository;
import io.macfleet.controller.store.RunRepository;
import io.macfleet.controller.store.RunRow;
import io.macfleet.controller.store.VerdictRepository;
import io.macfleet.proto.v1.ProbeSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of verdicts. Every finished run is stored in the interchange's terms and judged; a
 * slowdown with no control run to compare is replayed at once on the same-generation control hosts, and the
 * replay's result settles the suspect's verdict (a newer verdict row). A scheduled probe whose last verdict was
 * insufficient_data asks for twice the samples next time, up to a cap.
 */
public final class VerdictService implements RunListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VerdictService.class);
  /** How far back a verdict looks for baselines and control runs. */
  public static final Duration HISTORY = Duration.ofDays(30);

  public static final int MAX_SAMPLES = 192;
  /** The provisional verdicts a fresh control replay can change. */
  private static final java.util.Set<Verdict.Kind> SLOWDOWNS = java.util.EnumSet.of(
      Verdict.Kind.ENVIRONMENT, Verdict.Kind.SOFTWARE_REGRESSION, Verdict.Kind.UNATTRIBUTED);
  /** What a provisional verdict's explanation ends with while its control replay runs. */
  public static final String PENDING = "control replay requested on ";

  private final InterchangeRepository data;
  private final VerdictRepository verdicts;
  private final RunRepository runs;
  private final HostRepository hosts;
  private final RunService runService;
  private final Clock clock;
  private final VerdictEngine engine;
  private volatile java.util.function.Consumer<String> kinds = k -> {};
  private volatile java.util.function.Function<String, java.time.Duration> clockSkew =
      h -> java.time.Duration.ZERO;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "verdicts");
    t.setDaemon(true);
    return t;
  });

  public VerdictService(
      InterchangeRepository data,
      VerdictRepository verdicts,
      RunRepository runs,
      HostRepository hosts,
      RunService runService,
      Clock clock,
      Thresholds thresholds) {
    this.data = data;
    this.verdicts = verdicts;
    this.runs = runs;
    this.hosts = hosts;
    this.runService = runService;
    this.clock = clock;
    this.engine = new VerdictEngine(thresholds);
  }

  /** Told the kind of every verdict stored, for the metrics. */
  /**
   * How far each host's clock is off the controller's (fleet/HostFlags; zero within a minute): a run's times,
   * taken on the agent's clock, are moved onto the controller's before they are stored and compared.
   */
  public void clockSkew(java.util.function.Function<String, java.time.Duration> skew) {
    this.clockSkew = skew;
  }

  public void kinds(java.util.function.Consumer<String> sink) {
    this.kinds = sink;
  }

  @Override
  public void done(RunRow run) {
    worker.execute(() -> {
      try {
        settle(run);
      } catch (RuntimeException e) {
        log.warn("could not judge run {}", run.id(), e);
      }
    });
  }

  /** Synchronous form for callers that need the verdicts now (tests, the demo's last step). */
  public void settle(RunRow run) {
    String json = run.resultJson() != null
        ? run.resultJson()
        : runs.get(run.id()).map(RunRow::resultJson).orElse(null);
    if (json == null) {
      return;
    }
    try {
      data.saveAgentRun(
          run.hostId(),
          AgentRunMapper.map(
              run.id(), run.hostName(), run.purpose(), json, clockSkew.apply(run.hostId())));
    } catch (java.io.IOException e) {
      log.warn(
          "run {} from {} has an unreadable record: {}", run.id(), run.hostName(), e.getMessage());
      return;
    }
    if (RunPurpose.CONTROL_REPLAY.is(run.purpose())) {
      String original = runs.forRun(run.id());
      if (original != null) {
        runs.get(original).ifPresent(o -> judge(o, false));
      }
      return;
    }
    judge(run, true);
  }

  /** Judges one run with the fleet's last 30 days of that model and stores a verdict per level. */
  public List<Verdict> judge(RunRow run, boolean mayReplay) {
    Dataset d = data.datasetWithSiblings(run.model(), OffsetDateTime.now(clock).minus(HISTORY));
    Records.Run candidate = d.runs().get(run.id());
    if (candidate == null) {
      return List.of();
    }
    List<Verdict> out = engine.judge(d, VerdictEngine.series(d), candidate);
    OffsetDateTime now = OffsetDateTime.now(clock);
    // a slowdown is replayed at once on the control hosts, whatever older control runs say: the
    // fresh replay
    // settles the verdict when its result comes back
    boolean slower = out.stream().anyMatch(VerdictService::awaitsControl);
    String replayNote = "";
    if (mayReplay && slower && runs.replaysFor(run.id()).isEmpty()) {
      replayNote = requestControlReplay(run, d);
    }
    for (Verdict v : out) {
      String note = !awaitsControl(v)
          ? ""
          : !replayNote.isEmpty() ? replayNote : recheckNote(d, candidate, v.concurrency());
      Verdict stored = note.isEmpty() ? v : v.withNote(note);
      verdicts.insert(
          run.hostId(),
          run.id(),
          run.model(),
          v.concurrency(),
          v.verdict().wire(),
          stored.toJson().toString(),
          now);
      kinds.accept(v.verdict().wire());
    }
    return out;
  }

  /**
   * Whether a fresh control replay can settle this verdict: a slowdown, or a failure whose scope no run in hand
   * could tell (the runbook's second clean host).
   */
  static boolean awaitsControl(Verdict v) {
    return SLOWDOWNS.contains(v.verdict())
        || v.verdict() == Verdict.Kind.FAILURE
            && v.failure() != null
            && v.failure().scope() == Verdict.Scope.UNKNOWN;
  }

  /** What the suspect's own recheck showed, once it is back: still slower, or a passing disturbance. */
  private String recheckNote(Dataset d, Records.Run candidate, int level) {
    for (String id : runs.replaysFor(candidate.run())) {
      Records.Run r = d.runs().get(id);
      if (r == null || !r.host().equals(candidate.host())) {
        continue;
      }
      LevelComparison c = engine.recheck(d, VerdictEngine.series(d), candidate, r, level);
      if (c.candidateN() == 0) {
        return "";
      }
      MetricChange w = c.worst();
      if (w == null) {
        return "";
      }
      return String.format(
          java.util.Locale.ROOT,
          "recheck %s on %s: %s %+.0f%%%s",
          id,
          candidate.host(),
          w.name(),
          w.changePct(),
          c.regressed(engine.thresholds()) ? " (still slower)" : " (back to normal: it passed)");
    }
    return "";
  }

  private String requestControlReplay(RunRow run, Dataset d) {
    String gen = d.hosts().containsKey(run.hostName())
        ? d.hosts().get(run.hostName()).chipGeneration()
        : null;
    if (gen == null) {
      return "";
    }
    List<String> controls = hosts.listAll().stream()
        .filter(h -> !h.revoked()
            && !h.id().equals(run.hostId())
            && "control".equals(h.labels().get("role"))
            && gen.equals(h.chipGeneration()))
        .map(HostRow::name)
        .toList();
    if (controls.isEmpty()) {
      return "";
    }
    ProbeSpec spec = RunService.spec(runs.get(run.id()).orElse(run));
    List<RunRow> started = new java.util.ArrayList<>(runService.replay(
        String.join(",", controls), spec, RunPurpose.CONTROL_REPLAY.wire(), run.id()));
    // and again on the suspect: a slowdown that is gone a minute later was a passing disturbance
    started.addAll(
        runService.replay(run.hostName(), spec, RunPurpose.CONTROL_REPLAY.wire(), run.id()));
    log.info(
        "run {} on {} slowed with no control run to compare: control replay {} requested",
        run.id(),
        run.hostName(),
        started.stream().map(RunRow::id).toList());
    return PENDING + String.join(", ", controls) + " and a recheck on " + run.hostName() + " ("
        + started.stream()
            .map(r -> r.id() + " " + r.status())
            .reduce((a, b) -> a + ", " + b)
            .orElse("")
        + ")";
  }

  @Override
  public ProbeSpec specFor(HostRow host, ProbeSpec spec, String purpose) {
    if (!RunPurpose.SCHEDULED.is(purpose)) {
      return spec;
    }
    boolean tooFew = verdicts
        .newestKind(host.id(), spec.getModel())
        .map("insufficient_data"::equals)
        .orElse(false);
    if (!tooFew) {
      return spec;
    }
    int asked = spec.getSamples() == 0 ? 24 : spec.getSamples(); // 0 is the agent's default, 24
    int last = runs.list(host.id(), spec.getModel(), 1).stream()
        .findFirst()
        .map(r -> RunService.spec(r).getSamples())
        .map(n -> n == 0 ? 24 : n)
        .orElse(asked);
    int samples = Math.min(MAX_SAMPLES, Math.max(asked, last * 2));
    log.info(
        "{}: the last verdict for {} had too few samples; this scheduled probe takes {}",
        host.name(),
        spec.getModel(),
        samples);
    return spec.toBuilder().setSamples(samples).build();
  }

  public VerdictEngine engine() {
    return engine;
  }

  /** Waits for queued judgements (tests, the demo, shutdown). */
  public void drain(Duration timeout) {
    try {
      worker.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.debug("verdict queue did not drain in {}", timeout);
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
