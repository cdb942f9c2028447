package io.macfleet.controller.fleet;

import io.macfleet.controller.store.EventRepository;
import io.macfleet.controller.store.HostRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host whose agent's clock is off the controller's: every report carries the agent's clock when sent, and each
 * hello its clock then; off by more than {@link #SKEW_LIMIT}, the agent's times are not believable, and its reports'
 * collection times are moved onto the controller's timeline ({@link #offset}). (The other flag, a stored history
 * behind the agent's, is found by the report writer: store/ReportRepository.)
 *
 * <p>The flag is written to the host row and told as an event only when it changes, on a thread of its own: the
 * per-report check runs on the network threads and costs a map lookup.
 */
public final class HostFlags implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostFlags.class);
  /** How far an agent's clock may be from the controller's before it is flagged and corrected for. */
  public static final Duration SKEW_LIMIT = Duration.ofMinutes(1);

  private final HostRepository hosts;
  private final EventRepository events;
  private final Clock clock;
  private final Map<String, Long> skewMs = new ConcurrentHashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "host-flags");
    t.setDaemon(true);
    return t;
  });

  public HostFlags(HostRepository hosts, EventRepository events, Clock clock) {
    this.hosts = hosts;
    this.events = events;
    this.clock = clock;
    skewMs.putAll(hosts.clockSkews());
  }

  /** How far the host's agent's clock is off the controller's, when beyond the limit; zero otherwise. */
  public Duration skew(String hostId) {
    return Duration.ofMillis(skewMs.getOrDefault(hostId, 0L));
  }

  /** Hosts with a skewed clock, for the metrics. */
  public long clockSkewed() {
    return skewMs.size();
  }

  /** An agent's hello: its clock then, against the controller's. */
  public void hello(String hostId, String hostName, Instant agentTime) {
    Instant now = clock.instant();
    clock(hostId, hostName, Duration.between(now, agentTime), now);
  }

  /**
   * A report's clock check: the agent's clock when it sent the report against when it arrived. Returns how far the
   * agent's clock is off when beyond the limit (to subtract from its times), else zero.
   */
  public Duration offset(String hostId, String hostName, Instant agentSentAt, Instant receivedAt) {
    if (agentSentAt == null) {
      return Duration.ofMillis(
          skewMs.getOrDefault(hostId, 0L)); // an older agent, or none sent: the hello's measure
    }
    Duration skew = Duration.between(receivedAt, agentSentAt);
    clock(hostId, hostName, skew, receivedAt);
    return beyondLimit(skew) ? skew : Duration.ZERO;
  }

  private static boolean beyondLimit(Duration skew) {
    return skew.abs().compareTo(SKEW_LIMIT) > 0;
  }

  /** Records a clock measure when it changes the flag: beyond the limit or back, or a minute away from before. */
  private void clock(String hostId, String hostName, Duration skew, Instant at) {
    long ms = beyondLimit(skew) ? skew.toMillis() : 0;
    long was = skewMs.getOrDefault(hostId, 0L);
    boolean changed = (ms == 0) != (was == 0) || Math.abs(ms - was) > SKEW_LIMIT.toMillis();
    if (!changed) {
      return;
    }
    if (ms == 0) {
      skewMs.remove(hostId);
    } else {
      skewMs.put(hostId, ms);
    }
    String detail = ms == 0
        ? "the agent's clock agrees with the controller's again (within " + SKEW_LIMIT.toSeconds()
            + " s)"
        : "the agent's clock is " + human(Duration.ofMillis(ms))
            + " the controller's: its times are not "
            + "believable, its reports are placed by the controller's clock; check the Mac's date and time (sntp)";
    if (ms == 0) {
      log.info("host {}: {}", Names.printable(hostName), detail);
    } else {
      log.warn("host {}: {}", Names.printable(hostName), detail);
    }
    write(
        hostId,
        ms,
        ms == 0 ? "clock_ok" : "clock_skew",
        Long.toString(was),
        Long.toString(ms),
        detail,
        at);
  }

  /** "3d 2h ahead of", "5m behind". */
  public static String human(Duration skew) {
    Duration d = Duration.ofSeconds(
        Math.round(skew.abs().toMillis() / 1000.0)); // 2d 23h 59m 59.98s reads 3d 0h
    String size = d.toDays() > 0
        ? d.toDays() + "d " + d.toHoursPart() + "h"
        : d.toHours() > 0
            ? d.toHours() + "h " + d.toMinutesPart() + "m"
            : d.toMinutes() + "m " + d.toSecondsPart() + "s";
    return size + (skew.isNegative() ? " behind" : " ahead of");
  }

  private void write(
      String hostId, long ms, String kind, String from, String to, String detail, Instant at) {
    writer.execute(() -> {
      try {
        hosts.setClockSkew(hostId, ms);
        events.add(
            hostId, OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC), kind, from, to, detail);
      } catch (RuntimeException e) {
        log.error("could not store the {} flag of host {}", kind, hostId, e);
      }
    });
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
