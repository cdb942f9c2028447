package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostLiveness;
import io.macfleet.proto.v1.HostStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** Online, stale or offline, judged against each host's own report interval. */
public final class HostStatusRule {
  private HostStatusRule() {}

  public static HostStatus status(
      Instant lastSeen, int intervalSeconds, boolean revoked, Instant now) {
    if (revoked) {
      return HostStatus.HOST_REVOKED;
    }
    if (lastSeen == null) {
      return HostStatus.HOST_OFFLINE;
    }
    long interval = Math.max(1, intervalSeconds) * 1000L;
    long age = Duration.between(lastSeen, now).toMillis();
    if (age <= interval * 5 / 2) {
      return HostStatus.HOST_ONLINE;
    }
    if (age <= interval * 10) {
      return HostStatus.HOST_STALE;
    }
    return HostStatus.HOST_OFFLINE;
  }

  /** How many hosts have each status now (statuses no host has are left out). */
  public static Map<HostStatus, Long> count(Collection<HostLiveness> hosts, Instant now) {
    Map<HostStatus, Long> out = new EnumMap<>(HostStatus.class);
    for (HostLiveness h : hosts) {
      out.merge(
          status(
              h.lastSeen() == null ? null : h.lastSeen().toInstant(),
              h.reportIntervalSeconds(),
              h.revoked(),
              now),
          1L,
          Long::sum);
    }
    return out;
  }
}
