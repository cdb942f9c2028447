package io.macfleet.controller.ops;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read from its source at most once per ttl: gauges read at every scrape, and a scrape storm must not load
 * the database. A source that fails leaves the last value in place (the failure is /readyz's to report).
 */
public final class Cached<T> implements Supplier<T> {
  private final Supplier<T> source;
  private final long ttlNanos;
  private T value;
  private long at = Long.MIN_VALUE;

  public Cached(Supplier<T> source, Duration ttl, T initial) {
    this.source = source;
    this.ttlNanos = ttl.toNanos();
    this.value = initial;
  }

  @Override
  public synchronized T get() {
    long now = System.nanoTime();
    if (at == Long.MIN_VALUE || now - at > ttlNanos) {
      at = now;
      try {
        value = source.get();
      } catch (RuntimeException e) {
        // keep the last value; the storage health check says what is wrong
      }
    }
    return value;
  }
}
