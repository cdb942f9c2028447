package io.macfleet.controller.fleet;

import io.macfleet.proto.v1.HostStatus;
import java.time.Duration;
import java.time.Instant;

/** Online, stale or offline, judged against each host's own report interval. */
public final class HostStatusRule {
  private HostStatusRule() {}

  public static HostStatus status(Instant lastSeen, int intervalSeconds, boolean revoked, Instant now) {
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
}
