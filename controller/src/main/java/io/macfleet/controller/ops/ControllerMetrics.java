package io.macfleet.controller.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a controller tells Prometheus (Micrometer's registry): hosts by status, reports stored and their
 * acknowledgement latency, runs by outcome, verdicts by kind, scheduler lag, authentication failures.
 */
public final class ControllerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
    CachedCounts counts = new CachedCounts(byStatus, Duration.ofSeconds(5));
    for (String status : new String[] {"online", "stale", "offline", "revoked"}) {
      Gauge.builder("macfleet.hosts", counts, c -> c.get().getOrDefault(status, 0L))
          .tag("status", status)
          .description("hosts by status")
          .strongReference(true)
          .register(registry); // gauges hold weakly by default
    }
  }

  /** A gauge read at each scrape from memory (no database read): hosts flagged, the database's size. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value, s -> s.get().doubleValue())
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  public void authFailures(String kind, Supplier<Number> count) {
    Gauge.builder("macfleet.auth.failures", count, s -> s.get().doubleValue())
        .tag("endpoint", kind)
        .description("refused authentication attempts since start")
        .strongReference(true)
        .register(registry);
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
    Counter.builder("macfleet.reports.refused")
        .tag("reason", why)
        .description("reports refused, by reason")
        .register(registry)
        .increment();
  }

  public void run(String outcome) {
    Counter.builder("macfleet.runs")
        .tag("outcome", outcome)
        .description("probe runs by outcome")
        .register(registry)
        .increment();
  }

  public void verdict(String kind) {
    Counter.builder("macfleet.verdicts")
        .tag("kind", kind)
        .description("verdicts by kind")
        .register(registry)
        .increment();
  }

  public void scheduleLag(long millis) {
    scheduleLag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private static final class CachedCounts {
    private final Supplier<Map<String, Long>> source;
    private final long ttlNanos;
    private volatile Map<String, Long> value = Map.of();
    private volatile long at = Long.MIN_VALUE;

    CachedCounts(Supplier<Map<String, Long>> source, Duration ttl) {
      this.source = source;
      this.ttlNanos = ttl.toNanos();
    }

    synchronized Map<String, Long> get() {
      long now = System.nanoTime();
      if (at == Long.MIN_VALUE || now - at > ttlNanos) {
        value = source.get();
        at = now;
      }
      return value;
    }
  }
}
