package io.macfleet.controller.fleet;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code perSecond}; a request takes its cost or is
 * refused. Times are passed in (nanoseconds from any fixed origin), so it is a pure function of its calls.
 */
public final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long at;

  public TokenBucket(double perSecond, double burst, long nowNanos) {
    if (perSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("a token bucket needs a positive rate and burst");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.at = nowNanos;
  }

  /** Takes {@code cost} tokens if the bucket holds them now; false (and nothing taken) when it does not. */
  public synchronized boolean tryTake(double cost, long nowNanos) {
    if (nowNanos > at) {
      tokens = Math.min(burst, tokens + (nowNanos - at) * perNano);
      at = nowNanos;
    }
    if (tokens < cost) {
      return false;
    }
    tokens -= cost;
    return true;
  }

  /** Whether the bucket holds {@code cost} tokens now, taking none. */
  public synchronized boolean has(double cost, long nowNanos) {
    return Math.min(burst, tokens + Math.max(0, nowNanos - at) * perNano) >= cost;
  }

  /** Whether the bucket is full as of {@code nowNanos}: a host idle that long needs no bucket kept. */
  public synchronized boolean full(long nowNanos) {
    return tokens + Math.max(0, nowNanos - at) * perNano >= burst;
  }
}
