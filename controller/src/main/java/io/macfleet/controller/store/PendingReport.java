package io.macfleet.controller.store;

import io.macfleet.proto.v1.HostSnapshot;
import java.time.OffsetDateTime;

/** A validated, authenticated report waiting to be made durable. */
public record PendingReport(String hostId, int epoch, long seq, String reason, HostSnapshot snapshot,
    OffsetDateTime receivedAt) {}
