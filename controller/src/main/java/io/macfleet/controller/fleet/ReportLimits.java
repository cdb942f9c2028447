package io.macfleet.controller.fleet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What one host may send: reports no larger than {@code maxReportBytes}, and per host a token bucket for reports
 * per second and one for bytes per second, each with a burst that lets an agent drain a spool filled during an
 * outage. One host over its limits is refused (its agent retries later) while every other host goes on: the
 * buckets are per host, and a refusal costs no database work.
 */
public final class ReportLimits {
  /** The limits; the bursts are what a host may send at once after a quiet spell. */
  public record Settings(
      int maxReportBytes,
      double reportsPerSecond,
      double reportBurst,
      double bytesPerSecond,
      double byteBurst) {
    /**
     * A real snapshot is 1–10 KB (a few dozen models) and comes every 15 s: 256 KiB is far above any Mac's, and
     * 10 reports/s with 16 KiB/s sustained still drains a 10,000-report spool within minutes. A host that keeps to
     * these limits adds at most 1.4 GB a day; retention bounds the rest.
     */
    public static Settings defaults() {
      return new Settings(256 * 1024, 10, 1000, 16 * 1024, 16 * 1024 * 1024);
    }
  }

  private record Buckets(TokenBucket reports, TokenBucket bytes) {}

  private final Settings settings;
  private final LongSupplier nanos;
  private final Map<String, Buckets> hosts = new ConcurrentHashMap<>();

  public ReportLimits(Settings settings, LongSupplier nanos) {
    this.settings = settings;
    this.nanos = nanos;
  }

  public Settings settings() {
    return settings;
  }

  /** Refuses a report its host may not send now: INVALID when too large (never storable), UNAVAILABLE when early. */
  public void admit(String hostId, int bytes) {
    if (bytes > settings.maxReportBytes()) {
      throw new FleetException(
          FleetException.Kind.INVALID,
          "report is " + bytes + " bytes; this controller takes " + "at most "
              + settings.maxReportBytes() + " (serve --max-report-size)");
    }
    long now = nanos.getAsLong();
    Buckets b = hosts.computeIfAbsent(
        hostId,
        h -> new Buckets(
            new TokenBucket(settings.reportsPerSecond(), settings.reportBurst(), now),
            new TokenBucket(
                settings.bytesPerSecond(),
                Math.max(settings.byteBurst(), settings.maxReportBytes()),
                now)));
    if (!b.reports().tryTake(1, now)) {
      throw new FleetException(
          FleetException.Kind.RATE_LIMITED,
          "this host sends more than " + fmt(settings.reportsPerSecond())
              + " reports/s; slow down (serve --host-report-rate)");
    }
    if (!b.bytes().tryTake(bytes, now)) {
      throw new FleetException(
          FleetException.Kind.RATE_LIMITED,
          "this host sends more than " + fmt(settings.bytesPerSecond() / 1024)
              + " KiB/s of reports; slow down (serve --host-byte-rate)");
    }
  }

  /** Forgets hosts whose buckets have refilled: a fleet's worth of idle entries is not kept for ever. */
  public void forgetIdle() {
    long now = nanos.getAsLong();
    hosts
        .entrySet()
        .removeIf(e -> e.getValue().reports().full(now) && e.getValue().bytes().full(now));
  }

  private static String fmt(double v) {
    return v == Math.rint(v)
        ? Long.toString((long) v)
        : String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}
