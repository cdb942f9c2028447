package io.macfleet.controller.store;

import java.time.OffsetDateTime;

/** What a host's status is judged from, and nothing else: read for every host at each metrics scrape. */
public record HostLiveness(OffsetDateTime lastSeen, int reportIntervalSeconds, boolean revoked) {}
