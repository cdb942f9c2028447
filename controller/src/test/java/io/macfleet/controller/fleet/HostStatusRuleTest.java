package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.store.HostLiveness;
import io.macfleet.proto.v1.HostStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostStatusRuleTest {
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @Test
  void judgedAgainstEachHostsOwnInterval() {
    assertThat(HostStatusRule.status(NOW.minusSeconds(37), 15, false, NOW))
        .isEqualTo(HostStatus.HOST_ONLINE);
    assertThat(HostStatusRule.status(NOW.minusSeconds(38), 15, false, NOW))
        .isEqualTo(HostStatus.HOST_STALE);
    assertThat(HostStatusRule.status(NOW.minusSeconds(150), 15, false, NOW))
        .isEqualTo(HostStatus.HOST_STALE);
    assertThat(HostStatusRule.status(NOW.minusSeconds(151), 15, false, NOW))
        .isEqualTo(HostStatus.HOST_OFFLINE);
    assertThat(HostStatusRule.status(NOW.minusSeconds(149), 60, false, NOW))
        .isEqualTo(HostStatus.HOST_ONLINE);
  }

  @Test
  void revokedAndNeverSeen() {
    assertThat(HostStatusRule.status(NOW, 15, true, NOW)).isEqualTo(HostStatus.HOST_REVOKED);
    assertThat(HostStatusRule.status(null, 15, false, NOW)).isEqualTo(HostStatus.HOST_OFFLINE);
  }

  @Test
  void countsEachStatusOnceAndLeavesOutStatusesNoHostHas() {
    var seen = NOW.atOffset(ZoneOffset.UTC);
    assertThat(HostStatusRule.count(
            List.of(
                new HostLiveness(seen.minusSeconds(10), 15, false),
                new HostLiveness(seen.minusSeconds(20), 15, false),
                new HostLiveness(seen.minusSeconds(100), 15, false),
                new HostLiveness(null, 0, false),
                new HostLiveness(seen, 15, true)),
            NOW))
        .containsOnly(
            org.assertj.core.api.Assertions.entry(HostStatus.HOST_ONLINE, 2L),
            org.assertj.core.api.Assertions.entry(HostStatus.HOST_STALE, 1L),
            org.assertj.core.api.Assertions.entry(HostStatus.HOST_OFFLINE, 1L),
            org.assertj.core.api.Assertions.entry(HostStatus.HOST_REVOKED, 1L));
  }
}
