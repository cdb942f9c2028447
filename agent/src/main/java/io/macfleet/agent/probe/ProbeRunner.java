package io.macfleet.agent.probe;

import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaException;
import io.macfleet.agent.ollama.OllamaInventoryParser;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runbook's method: record the triple, warm up (or measure a true cold start), then each concurrency
 * level with N steady-state samples, every prompt opened by a fresh nonce; record the triple again, and a
 * change in between invalidates the run.
 */
public final class ProbeRunner {
  /**
   * A level stops handing out requests after this many hung ones in a row (no first token within the first-token
   * timeout): a wedged runner would otherwise cost the timeout once per sample — 24 minutes a level at 60 s.
   */
  static final int HUNG_IN_A_ROW = 3;

  private final String ollamaUrl;
  private final OllamaClient client;
  private final StreamingProbe probe;
  private final HostCollectors host; // null: no OS facts or telemetry (tests against the simulator)
  private volatile String cancelled; // why, once cancelled

  /** Thrown by {@link #run} when the run was cancelled (the controller gave up on it). */
  public static final class Cancelled extends Exception {
    Cancelled(String why) {
      super("cancelled: " + why);
    }
  }

  /** Stops the run from another thread: no new requests, those in flight closed; {@link #run} then throws. */
  public void cancel(String why) {
    cancelled = why;
    probe.abortAll();
  }

  public ProbeRunner(String ollamaUrl, HostCollectors host) {
    this.ollamaUrl = ollamaUrl;
    this.client = new OllamaClient(ollamaUrl);
    this.probe = new StreamingProbe(ollamaUrl);
    this.host = host;
  }

  public ProbeRun run(ProbeOptions o) throws OllamaException, InterruptedException, Cancelled {
    validate(o);
    List<String> prompts = o.prompts().isEmpty() ? PromptSets.of(o.promptSet()) : o.prompts();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Instant started = Instant.now();
    ProbeRun.Triple before = triple(o.model());
    if (before.modelDigest().isEmpty()) {
      throw new IllegalArgumentException("model '" + o.model() + "' is not in this Ollama's store ("
          + ollamaUrl + "); pull it first: ollama pull " + o.model());
    }
    List<ProbeSample> samples = Collections.synchronizedList(new ArrayList<>());
    TelemetrySampler sampler =
        host == null ? null : new TelemetrySampler(host, Duration.ofSeconds(1));
    try {
      if (o.cold()) {
        unload(o.model(), Duration.ofSeconds(60));
      }
      samples.add(probe.run(
          o,
          PromptSets.withNonce(prompts.get(0), runId + "-w"),
          1,
          0,
          0,
          o.cold() ? "cold" : "warmup"));
      for (int level : o.concurrency()) {
        if (cancelled != null) {
          break;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger hungInARow = new AtomicInteger();
        List<Thread> streams = new ArrayList<>();
        for (int s = 0; s < level; s++) {
          int stream = s;
          Thread t = new Thread(
              () -> {
                int k;
                while (cancelled == null && (k = next.getAndIncrement()) < o.samples()) {
                  String prompt = PromptSets.withNonce(
                      prompts.get(k % prompts.size()), runId + "-" + level + "-" + k);
                  ProbeSample sample = probe.run(o, prompt, level, stream, k, "steady");
                  samples.add(sample);
                  if (sample.error() != ErrorClass.HUNG) {
                    hungInARow.set(0);
                  } else if (hungInARow.incrementAndGet() >= HUNG_IN_A_ROW) {
                    next.set(
                        o.samples()); // the requests in flight finish; no new ones in this level
                  }
                }
              },
              "probe-" + level + "-" + s);
          streams.add(t);
          t.start();
        }
        for (Thread t : streams) {
          t.join();
        }
      }
    } finally {
      if (sampler != null) {
        sampler.close();
      }
    }
    if (cancelled != null) {
      throw new Cancelled(cancelled);
    }
    ProbeRun.Triple after = triple(o.model());
    List<ProbeSample> ordered = new ArrayList<>(samples);
    ordered.sort((a, b) -> a.concurrency() != b.concurrency()
        ? a.concurrency() - b.concurrency()
        : a.phase().compareTo(b.phase()) != 0
            ? a.phase().compareTo(b.phase())
            : a.ordinal() - b.ordinal());
    List<LevelSummary> levels = new ArrayList<>();
    for (int level : o.concurrency()) {
      levels.add(LevelSummary.of(level, ordered));
    }
    return new ProbeRun(
        o,
        started.toString(),
        Instant.now().toString(),
        before,
        after,
        changed(before, after),
        ordered,
        levels,
        ratio(levels),
        sampler == null ? null : sampler.summary());
  }

  /** The highest level's TTFT p95 over the 1-way TTFT p95 (the runbook's 4-way/1-way check). */
  static Double ratio(List<LevelSummary> levels) {
    LevelSummary one =
        levels.stream().filter(l -> l.concurrency() == 1).findFirst().orElse(null);
    LevelSummary top =
        levels.stream().max((a, b) -> a.concurrency() - b.concurrency()).orElse(null);
    if (one == null
        || top == null
        || top == one
        || one.ttftP95Ms() == null
        || top.ttftP95Ms() == null
        || one.ttftP95Ms() <= 0) {
      return null;
    }
    return top.ttftP95Ms() / one.ttftP95Ms();
  }

  static String changed(ProbeRun.Triple a, ProbeRun.Triple b) {
    List<String> why = new ArrayList<>();
    if (!Objects.equals(a.ollamaVersion(), b.ollamaVersion())) {
      why.add("Ollama " + a.ollamaVersion() + " → " + b.ollamaVersion());
    }
    if (!Objects.equals(a.modelDigest(), b.modelDigest())) {
      why.add("model digest changed");
    }
    if (!Objects.equals(a.osBuild(), b.osBuild())) {
      why.add("OS build " + a.osBuild() + " → " + b.osBuild());
    }
    if (!Objects.equals(a.ollamaSettings(), b.ollamaSettings())) {
      why.add("Ollama settings changed");
    }
    return String.join("; ", why);
  }

  private ProbeRun.Triple triple(String model) throws OllamaException {
    String version = OllamaInventoryParser.version(client.get("/api/version"));
    var tags = OllamaInventoryParser.tags(client.get("/api/tags"));
    ModelInfo.Builder m = tags.get(model);
    if (m == null) {
      m = tags.get(model + ":latest");
    }
    HostIdentity id =
        host == null ? HostIdentity.getDefaultInstance() : host.identity().collect();
    Map<String, String> settings = host == null ? Map.of() : host.ollamaSettings();
    return new ProbeRun.Triple(
        version,
        m == null ? "" : m.getDigest(),
        m == null ? "" : m.getFormat(),
        m == null ? "" : m.getQuantization(),
        id.getOsVersion(),
        id.getOsBuild(),
        settings);
  }

  /** keep_alive 0 unloads; then wait until /api/ps no longer lists the model. */
  private void unload(String model, Duration timeout) throws OllamaException, InterruptedException {
    client.post(
        "/api/generate",
        "{\"model\":\"" + model.replace("\"", "") + "\",\"keep_alive\":0}",
        Duration.ofSeconds(30));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean listed = OllamaInventoryParser.ps(client.get("/api/ps")).stream()
          .anyMatch(b -> b.getName().equals(model) || b.getName().equals(model + ":latest"));
      if (!listed) {
        return;
      }
      Thread.sleep(200);
    }
    throw new OllamaException(
        model + " was still loaded " + timeout.toSeconds() + " s after keep_alive 0", false);
  }

  private static void validate(ProbeOptions o) {
    if (o.model() == null || o.model().isBlank()) {
      throw new IllegalArgumentException("a model is required");
    }
    if (o.concurrency().isEmpty() || o.concurrency().stream().anyMatch(c -> c < 1 || c > 64)) {
      throw new IllegalArgumentException("concurrency levels must be between 1 and 64");
    }
    if (o.samples() < 1) {
      throw new IllegalArgumentException("samples must be at least 1");
    }
    if (!"generate".equals(o.api()) && !"chat".equals(o.api())) {
      throw new IllegalArgumentException("api must be generate or chat");
    }
  }
}
