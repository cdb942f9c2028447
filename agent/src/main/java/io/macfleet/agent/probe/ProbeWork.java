package io.macfleet.agent.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.LevelResult;
import io.macfleet.proto.v1.ProbeResult;
import io.macfleet.proto.v1.ProbeSpec;
import io.macfleet.proto.v1.ProbeStarted;
import io.macfleet.proto.v1.RunProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs probes the controller pushes over the stream, one at a time (two would measure each other), and
 * sends back "started" and the result.
 */
public final class ProbeWork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeWork.class);
  /** The run's record as JSON; a holder so the idle daemon never loads Jackson databind (~400 classes). */
  static final class RunJson {
    static final ObjectMapper JSON =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  }

  private final String ollamaUrl;
  private final HostCollectors host;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "probe-work");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean busy = new AtomicBoolean();
  /** The run in progress and its runner, so that the controller can cancel it. */
  private volatile String currentRun;

  private volatile ProbeRunner currentRunner;

  public ProbeWork(String ollamaUrl, HostCollectors host) {
    this.ollamaUrl = ollamaUrl;
    this.host = host;
  }

  public void submit(RunProbe work, Consumer<AgentMessage> reply) {
    if (!busy.compareAndSet(false, true)) {
      reply.accept(result(ProbeResult.newBuilder()
          .setRunId(work.getRunId())
          .setCompleted(false)
          .setError("busy: another probe is running on this host")));
      return;
    }
    worker.execute(() -> {
      try {
        reply.accept(AgentMessage.newBuilder()
            .setProbeStarted(ProbeStarted.newBuilder().setRunId(work.getRunId()))
            .build());
        ProbeRunner runner = new ProbeRunner(ollamaUrl, host);
        currentRunner = runner;
        currentRun = work.getRunId();
        ProbeRun run = runner.run(options(work.getSpec()));
        reply.accept(result(toProto(work.getRunId(), run)));
      } catch (Exception e) {
        log.warn("probe {} failed", work.getRunId(), e);
        reply.accept(result(ProbeResult.newBuilder()
            .setRunId(work.getRunId())
            .setCompleted(false)
            .setError(e.getMessage() == null ? e.toString() : e.getMessage())));
      } finally {
        currentRun = null;
        currentRunner = null;
        busy.set(false);
      }
    });
  }

  /** The controller gave up on a run: stop it if it is the one running (else it already ended). */
  public void cancel(String runId, String reason) {
    ProbeRunner runner = currentRunner;
    if (runner != null && runId.equals(currentRun)) {
      log.warn("probe {} cancelled by the controller: {}", runId, reason);
      runner.cancel(reason);
    }
  }

  static ProbeOptions options(ProbeSpec s) {
    ProbeOptions d = ProbeOptions.defaults(s.getModel());
    List<Integer> levels = new ArrayList<>();
    s.getConcurrencyList().forEach(c -> levels.add(c));
    Duration ftt = s.getFirstTokenTimeoutSeconds() == 0
        ? d.firstTokenTimeout()
        : Duration.ofSeconds(s.getFirstTokenTimeoutSeconds());
    return new ProbeOptions(
        s.getModel(),
        s.getApi().isEmpty() ? d.api() : s.getApi(),
        s.getPromptSet().isEmpty() ? d.promptSet() : s.getPromptSet(),
        List.copyOf(s.getPromptsList()),
        levels.isEmpty() ? d.concurrency() : levels,
        s.getSamples() == 0 ? d.samples() : s.getSamples(),
        s.getNumPredict() == 0 ? d.numPredict() : s.getNumPredict(),
        s.getNumCtx() == 0 ? d.numCtx() : s.getNumCtx(),
        d.seed(),
        s.getThink(),
        s.getCold(),
        ftt,
        ftt.plus(Duration.ofMinutes(5)));
  }

  static ProbeResult.Builder toProto(String runId, ProbeRun run) throws Exception {
    String failed = everyRequestFailed(run.levels());
    ProbeResult.Builder b = ProbeResult.newBuilder()
        .setRunId(runId)
        .setCompleted(failed == null)
        .setInvalidatedBecause(run.invalidatedBecause())
        .setRunJson(RunJson.JSON.writeValueAsString(run));
    if (failed != null) {
      b.setError(failed);
    }
    if (run.ttftP95Ratio() != null) {
      b.setTtftP95Ratio(run.ttftP95Ratio());
    }
    for (LevelSummary l : run.levels()) {
      LevelResult.Builder r = LevelResult.newBuilder()
          .setConcurrency(l.concurrency())
          .setSamples(l.samples())
          .setErrors(l.errors());
      l.errorsByClass().forEach(r::putErrorsByClass);
      if (l.ttftP50Ms() != null) {
        r.setTtftP50Ms(l.ttftP50Ms()).setTtftP95Ms(l.ttftP95Ms()).setTtftP99Ms(l.ttftP99Ms());
      }
      if (l.prefillP50TokensPerSecond() != null) {
        r.setPrefillP50Tps(l.prefillP50TokensPerSecond());
      }
      if (l.decodeP50TokensPerSecond() != null) {
        r.setDecodeP50Tps(l.decodeP50TokensPerSecond());
      }
      b.addLevels(r);
    }
    return b;
  }

  /**
   * When no measured request succeeded in any level: the run measured nothing, so it failed, and why — the error
   * classes with their counts, most frequent first ("every request failed: hung 6, refused 2"). Null otherwise.
   */
  static String everyRequestFailed(List<LevelSummary> levels) {
    int samples = levels.stream().mapToInt(LevelSummary::samples).sum();
    if (samples == 0 || levels.stream().anyMatch(l -> l.errors() < l.samples())) {
      return null;
    }
    java.util.Map<String, Integer> byClass = new java.util.TreeMap<>();
    levels.forEach(l -> l.errorsByClass().forEach((k, v) -> byClass.merge(k, v, Integer::sum)));
    StringBuilder why = new StringBuilder("every request failed:");
    byClass.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(e ->
            why.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append(','));
    why.setLength(why.length() - 1);
    return why.toString();
  }

  private static AgentMessage result(ProbeResult.Builder r) {
    return AgentMessage.newBuilder().setProbeResult(r).build();
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
