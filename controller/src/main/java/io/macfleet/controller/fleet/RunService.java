package io.macfleet.controller.fleet;

import com.google.protobuf.InvalidProtocolBufferException;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.RunRepository;
import io.macfleet.controller.store.RunRow;
import io.macfleet.controller.store.RunStatus;
import io.macfleet.proto.v1.ProbeResult;
import io.macfleet.proto.v1.ProbeSpec;
import io.macfleet.proto.v1.RunProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays: a run per selected host, pushed over its stream. A host that cannot take it gets a "missed" run
 * with the reason, never a silent drop; a run whose agent goes quiet becomes "incomplete" after a timeout.
 */
public final class RunService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);

  private final HostRepository hosts;
  private final RunRepository runs;
  private final ProbeDispatcher dispatcher;
  private final Clock clock;
  private final Duration runTimeout;
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "run-sweeper");
    t.setDaemon(true);
    return t;
  });

  public RunService(
      HostRepository hosts,
      RunRepository runs,
      ProbeDispatcher dispatcher,
      Clock clock,
      Duration runTimeout) {
    this.hosts = hosts;
    this.runs = runs;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.runTimeout = runTimeout;
    long every = Math.max(1, Math.min(30, runTimeout.toSeconds() / 4));
    sweeper.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.SECONDS);
  }

  private volatile RunListener listener = RunListener.NONE;
  private volatile RunRouting routing = RunRouting.ALONE;

  /** How runs reach agents connected to other controllers sharing the database. */
  public void routing(RunRouting r) {
    this.routing = r;
  }
  /** A "report now" for an agent whose stream another controller holds (routed as runs are). */
  public boolean requestReportElsewhere(String hostId) {
    return routing.requestReportElsewhere(hostId);
  }

  private volatile java.util.function.Consumer<String> outcomes = o -> {};

  /** Told each run's final status (done, failed, missed, incomplete), for the metrics. */
  public void outcomes(java.util.function.Consumer<String> sink) {
    this.outcomes = sink;
  }

  public void listener(RunListener l) {
    this.listener = l;
  }

  public List<RunRow> replay(String selector, ProbeSpec spec, String purpose) {
    return replay(selector, spec, purpose, null);
  }

  /** forRun: the run a control replay was started for, so its result can settle that run's verdict. */
  public List<RunRow> replay(String selector, ProbeSpec requested, String purpose, String forRun) {
    ProbeSpec spec = requested;
    if (spec.getModel().isBlank()) {
      throw new FleetException(FleetException.Kind.INVALID, "--model is required");
    }
    // one host by name is the common scheduled case: read that row, not the whole fleet
    Selector parsed = Selector.hosts(selector);
    List<HostRow> targets = parsed.singleName().isPresent()
        ? hosts
            .findByName(parsed.singleName().get(), false)
            .filter(h -> !h.revoked())
            .map(List::of)
            .orElse(List.of())
        : HostSelector.select(parsed, hosts.listAll());
    if (targets.isEmpty()) {
      throw new FleetException(
          FleetException.Kind.NOT_FOUND, "no host matches '" + Names.printable(selector) + "'");
    }
    List<RunRow> out = new ArrayList<>();
    for (HostRow h : targets) {
      String id = "r-" + UUID.randomUUID().toString().substring(0, 12);
      OffsetDateTime now = OffsetDateTime.now(clock);
      ProbeSpec hostSpec = listener.specFor(h, spec, purpose);
      runs.insert(
          id,
          h.id(),
          hostSpec.getModel(),
          purpose,
          RunStatus.REQUESTED,
          "",
          now,
          hostSpec.toByteArray());
      if (forRun != null) {
        runs.linkTo(id, forRun);
      }
      boolean sent = false;
      if (routing.claim(id)) {
        sent = dispatcher.dispatch(
            h.id(), RunProbe.newBuilder().setRunId(id).setSpec(hostSpec).build());
        if (!sent) {
          routing.release(id);
        }
      }
      Optional<String> elsewhere = sent ? Optional.empty() : routing.heldElsewhere(h.id());
      if (elsewhere.isPresent()) {
        log.info(
            "run {} on {} goes out through controller {}, which holds its stream",
            id,
            h.name(),
            elsewhere.get());
      } else if (!sent) {
        String why = h.lastSeen() == null
            ? "never reported"
            : "no live stream (offline or asleep; last seen " + h.lastSeen() + ")";
        runs.finish(id, h.id(), RunStatus.MISSED, why, null, null, List.of(), now);
        outcomes.accept(RunStatus.MISSED.wire());
        log.info("run {} on {} missed: {}", id, h.name(), why);
      }
      out.add(runs.get(id).orElseThrow());
    }
    return out;
  }

  public void started(String hostId, String runId) {
    runs.markStarted(runId, hostId, OffsetDateTime.now(clock));
  }

  public void result(String hostId, ProbeResult r) {
    RunStatus status = r.getCompleted() ? RunStatus.DONE : RunStatus.FAILED;
    String reason = r.getCompleted()
        ? (r.getInvalidatedBecause().isEmpty() ? "" : "invalid: " + r.getInvalidatedBecause())
        : r.getError();
    if (!runs.finish(
        r.getRunId(),
        hostId,
        status,
        reason,
        r.hasTtftP95Ratio() ? r.getTtftP95Ratio() : null,
        r.getRunJson().isEmpty() ? null : r.getRunJson(),
        levels(r),
        OffsetDateTime.now(clock))) {
      log.warn(
          "ignored a result for run {} from host {}: not a run of that host still in progress",
          Names.printable(r.getRunId()),
          hostId); // the agent's string: never a raw newline in our log
      return;
    }
    outcomes.accept(status.wire());
    // a run whose every request failed is judged too: its record says how it failed
    if (!r.getRunJson().isEmpty()) {
      runs.get(r.getRunId()).ifPresent(listener::done);
    }
  }

  /**
   * The run's levels, summarised here from the agent's own samples by the same definition as an imported run's
   * ({@link io.macfleet.controller.interchange.LevelSummary}), not taken from the agent's summary: one rule for
   * every `run_levels` row. A run without a readable record (an agent that sent none) has no levels.
   */
  private static List<io.macfleet.controller.interchange.LevelSummary> levels(ProbeResult r) {
    if (r.getRunJson().isEmpty()) {
      return List.of();
    }
    try {
      return io.macfleet.controller.interchange.LevelSummary.of(
          io.macfleet.controller.interchange.AgentRunMapper.map(
                  r.getRunId(), "", "", r.getRunJson())
              .samples());
    } catch (java.io.IOException | RuntimeException e) {
      log.warn(
          "run {}: its record is unreadable ({}); stored without levels",
          Names.printable(r.getRunId()),
          Names.printable(e.getMessage()));
      return List.of();
    }
  }

  public RunRow get(String id) {
    return runs.get(id)
        .orElseThrow(() ->
            new FleetException(FleetException.Kind.NOT_FOUND, "no run " + Names.printable(id)));
  }

  public List<RunRow> list(String hostName, String model, int limit) {
    String hostId = null;
    if (hostName != null && !hostName.isEmpty()) {
      hostId = hosts
          .findByName(hostName, false)
          .orElseThrow(() -> new FleetException(
              FleetException.Kind.NOT_FOUND, "no host named '" + Names.printable(hostName) + "'"))
          .id();
    }
    return runs.list(hostId, model == null || model.isEmpty() ? null : model, limit);
  }

  public List<RunRow> newestDonePerHost(String model, java.time.Instant since) {
    return runs.newestDonePerHost(model, since.atOffset(java.time.ZoneOffset.UTC));
  }

  public static ProbeSpec spec(RunRow r) {
    try {
      return ProbeSpec.parseFrom(r.spec());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored spec of run " + r.id() + " is unreadable", e);
    }
  }

  /** The agents' streams as the sweeper needs them: is one open here, and stop a run on it. */
  public interface Streams {
    boolean alive(String hostId);

    boolean cancel(String hostId, String runId, String reason);
  }

  private volatile Streams streams = new Streams() {
    @Override
    public boolean alive(String hostId) {
      return false;
    }

    @Override
    public boolean cancel(String hostId, String runId, String reason) {
      return false;
    }
  };

  public void streams(Streams s) {
    this.streams = s;
  }

  /**
   * Marks runs with no result after the run timeout incomplete, saying which of two things happened: the agent's
   * stream closed (it went away mid-run), or it stayed open and the probe never finished on the host.
   */
  private void expire() {
    try {
      OffsetDateTime now = OffsetDateTime.now(clock);
      for (RunRow r : runs.overdue(now.minus(runTimeout))) {
        boolean alive = streams.alive(r.hostId());
        String reason = "no result within " + runTimeout.toSeconds() + " s: "
            + (alive
                ? "the agent's stream stayed connected, so the probe was stuck on the host (a hung Ollama?); the "
                    + "agent was told to stop it"
                : "the agent went away mid-run (its stream closed)");
        if (runs.finish(
            r.id(), r.hostId(), RunStatus.INCOMPLETE, reason, null, null, List.of(), now)) {
          log.warn(
              "run {} on {} marked incomplete: {}", r.id(), Names.printable(r.hostName()), reason);
          outcomes.accept(RunStatus.INCOMPLETE.wire());
          if (alive) {
            streams.cancel(r.hostId(), r.id(), "no result within " + runTimeout.toSeconds() + " s");
          }
        }
      }
    } catch (RuntimeException e) {
      log.error("run sweeper failed; it tries again in a minute", e);
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
