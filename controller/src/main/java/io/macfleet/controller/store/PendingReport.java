package io.macfleet.controller.store;

import io.macfleet.proto.v1.HostSnapshot;
import java.time.OffsetDateTime;

/**
 * A validated, authenticated report waiting to be made durable, with what the writer needs from it already
 * worked out: the stored bytes, the host facts it compares and the headline it derives events from.
 */
public record PendingReport(
    String hostId,
    int epoch,
    long seq,
    String reason,
    HostSnapshot snapshot,
    OffsetDateTime receivedAt,
    byte[] snapshotBytes,
    HostFacts facts,
    Headline headline,
    java.time.Duration clockOffset,
    long agentAcked) {

  public PendingReport(
      String hostId,
      int epoch,
      long seq,
      String reason,
      HostSnapshot snapshot,
      OffsetDateTime receivedAt,
      byte[] snapshotBytes,
      HostFacts facts,
      Headline headline) {
    this(
        hostId,
        epoch,
        seq,
        reason,
        snapshot,
        receivedAt,
        snapshotBytes,
        facts,
        headline,
        java.time.Duration.ZERO,
        0);
  }

  /**
   * The same report from an agent whose clock is {@code offset} off the controller's (fleet/HostFlags): its
   * collection time is moved onto the controller's timeline by that much.
   */
  public PendingReport withClockOffset(java.time.Duration offset) {
    return new PendingReport(
        hostId,
        epoch,
        seq,
        reason,
        snapshot,
        receivedAt,
        snapshotBytes,
        facts,
        headline,
        offset,
        agentAcked);
  }

  /**
   * The same report with the highest seq its agent had seen acknowledged before it (ReportRequest.last_acked_seq):
   * the writer flags a stored history behind that.
   */
  public PendingReport withAgentAcked(long acked) {
    return new PendingReport(
        hostId,
        epoch,
        seq,
        reason,
        snapshot,
        receivedAt,
        snapshotBytes,
        facts,
        headline,
        clockOffset,
        acked);
  }

  /** When the agent collected it, on the controller's clock; null when the snapshot does not say. */
  public OffsetDateTime collectedAt() {
    if (!snapshot.hasCollectedAt()) {
      return null;
    }
    return java.time.Instant.ofEpochSecond(
            snapshot.getCollectedAt().getSeconds(), snapshot.getCollectedAt().getNanos())
        .minus(clockOffset)
        .atOffset(java.time.ZoneOffset.UTC);
  }

  /**
   * Serializes and summarizes the snapshot on the calling thread. Reports arrive on several network threads
   * but are stored by one writer, so work done here keeps the writer's batches short.
   */
  public PendingReport(
      String hostId,
      int epoch,
      long seq,
      String reason,
      HostSnapshot snapshot,
      OffsetDateTime receivedAt) {
    this(hostId, epoch, seq, reason, snapshot, receivedAt, (byte[]) null);
  }

  /**
   * With the snapshot's bytes as the agent sent them ({@code sentBytes}, which must parse to {@code snapshot}): they
   * are stored as they are, so the snapshot is not encoded again. Null encodes the parsed snapshot.
   */
  public PendingReport(
      String hostId,
      int epoch,
      long seq,
      String reason,
      HostSnapshot snapshot,
      OffsetDateTime receivedAt,
      byte[] sentBytes) {
    this(
        hostId,
        epoch,
        seq,
        reason,
        snapshot,
        receivedAt,
        sentBytes != null ? sentBytes : snapshot.toByteArray(),
        Headline.of(snapshot, HostFacts.stateLabel(snapshot)));
  }

  private PendingReport(
      String hostId,
      int epoch,
      long seq,
      String reason,
      HostSnapshot snapshot,
      OffsetDateTime receivedAt,
      byte[] snapshotBytes,
      Headline headline) {
    this(
        hostId,
        epoch,
        seq,
        reason,
        snapshot,
        receivedAt,
        snapshotBytes,
        HostFacts.of(snapshot, headline),
        headline);
  }
}
