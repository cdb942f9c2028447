package io.macfleet.controller.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a controller tells Prometheus (Micrometer's registry): hosts by status, thermal level and Ollama state,
 * drifted tags, newest verdicts by kind, reports stored and their acknowledgement latency, runs by outcome, verdicts
 * by kind, scheduler lag, authentication failures, and the JVM's and process's own metrics and build_info. Every
 * counter ends in _total, and every label value a counter can take is there from start at 0, so that rate() and
 * alerts see the first increment (ops/prometheus/macfleet-rules.yml).
 */
public final class ControllerMetrics implements AutoCloseable {
  private static final String RUNS = "probe runs by outcome";
  private static final String VERDICTS = "verdicts by kind";
  private static final String REFUSED = "reports refused, by reason";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ControllerMetrics(String version) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    gc.bindTo(registry);
    Gauge.builder("macfleet.build.info", () -> 1)
        .tag("version", version)
        .tag("java", System.getProperty("java.version", ""))
        .description("the controller's build: 1, with its version and Java's as labels")
        .register(registry);
  }

  /** The label values the counters can take, registered at 0 (a counter absent until its first event hides it). */
  public void known(List<String> runOutcomes, List<String> verdictKinds, List<String> refusals) {
    runOutcomes.forEach(o -> counter("macfleet.runs", RUNS, "outcome", o));
    verdictKinds.forEach(k -> counter("macfleet.verdicts", VERDICTS, "kind", k));
    refusals.forEach(r -> counter("macfleet.reports.refused", REFUSED, "reason", r));
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).tag(tag, value).description(description).register(registry);
  }

  /**
   * Gauges of counts by one label, read at each scrape from a source cached for ttl (a scrape storm must not load
   * the database); every listed value is present, at 0 when the source has none.
   */
  public void counts(
      String name,
      String description,
      String tag,
      List<String> values,
      Supplier<Map<String, Long>> source,
      Duration ttl) {
    Cached<Map<String, Long>> counts = new Cached<>(source, ttl, Map.of());
    for (String v : values) {
      Gauge.builder(name, counts, c -> c.get().getOrDefault(v, 0L))
          .tag(tag, v)
          .description(description)
          .strongReference(true)
          .register(registry);
    }
  }

  private final Timer ack = Timer.builder("macfleet.report.ack")
      .description("report received to acknowledged")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(1))
      .maximumExpectedValue(Duration.ofSeconds(5))
      .register(registry);
  private final Timer scheduleLag = Timer.builder("macfleet.schedule.lag")
      .description("a scheduled replay's due time to its firing")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(1))
      .maximumExpectedValue(Duration.ofMinutes(2))
      .register(registry);

  /** The counts by host status, read at each scrape (cached briefly: a scrape storm must not load the database). */
  public void hosts(Supplier<Map<String, Long>> byStatus) {
    counts(
        "macfleet.hosts",
        "hosts by status",
        "status",
        List.of("online", "stale", "offline", "revoked"),
        byStatus,
        Duration.ofSeconds(5));
  }

  /** A gauge read at each scrape from memory (no database read): hosts flagged, the database's size. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value, s -> s.get().doubleValue())
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  /** A count kept elsewhere that only grows: a counter (_total), read at each scrape. */
  public void authFailures(String kind, Supplier<Number> count) {
    FunctionCounter.builder("macfleet.auth.failures", count, s -> s.get().doubleValue())
        .tag("endpoint", kind)
        .description("refused authentication attempts since start")
        .register(registry);
    held.add(count); // Micrometer holds it weakly: a method reference would be collected
  }

  // registered once: the ingest path acknowledges thousands of reports a second
  private final Counter reportsStored = Counter.builder("macfleet.reports")
      .tag("outcome", "stored")
      .description("reports acknowledged")
      .register(registry);
  private final Counter reportsDuplicate = Counter.builder("macfleet.reports")
      .tag("outcome", "duplicate")
      .description("reports acknowledged")
      .register(registry);

  public void reportAcknowledged(boolean stored, long nanos) {
    (stored ? reportsStored : reportsDuplicate).increment();
    ack.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A report refused before storage or not stored: why (rate_limited, invalid, out_of_sequence, ...). */
  public void reportRefused(String why) {
    counter("macfleet.reports.refused", REFUSED, "reason", why).increment();
  }

  public void run(String outcome) {
    counter("macfleet.runs", RUNS, "outcome", outcome).increment();
  }

  public void verdict(String kind) {
    counter("macfleet.verdicts", VERDICTS, "kind", kind).increment();
  }

  public void scheduleLag(long millis) {
    scheduleLag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
  }
}
