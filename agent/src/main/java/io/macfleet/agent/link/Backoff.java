package io.macfleet.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": half the window fixed, half random, so a fleet that lost
 * its controller at once does not reconnect in lockstep, yet no agent retries in a tight loop.
 */
public final class Backoff {
  private final long baseMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempt;

  public Backoff(Duration base, Duration max, RandomGenerator random) {
    this.baseMillis = base.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  public Backoff() {
    this(Duration.ofMillis(500), Duration.ofSeconds(30), RandomGenerator.getDefault());
  }

  /** The delay before the next try; each call widens the window up to the cap. */
  public Duration next() {
    long window = Math.min(maxMillis, baseMillis << Math.min(attempt, 30));
    attempt++;
    long half = window / 2;
    return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
  }

  public void reset() {
    attempt = 0;
  }

  public int attempts() {
    return attempt;
  }
}
