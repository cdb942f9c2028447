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

  /**
   * The agent's default: 0.5 s doubling to a 5 s cap. A cap near 5 s means an agent is back within about 5 s of
   * its controller returning (60 s caps made first deliveries come 62–75 s after an outage, and a full spool
   * dropped reports meanwhile); jitter still spreads a fleet's reconnects over that window.
   */
  public Backoff() {
    this(Duration.ofMillis(500), Duration.ofSeconds(5), RandomGenerator.getDefault());
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
