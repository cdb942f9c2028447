package io.macfleet.controller.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A host as stored: enrollment, the latest report's headline facts, labels and models. */
public record HostRow(
    String id,
    String name,
    String hardwareUuid,
    int epoch,
    OffsetDateTime enrolledAt,
    OffsetDateTime revokedAt,
    OffsetDateTime lastSeen,
    long lastSeq,
    int reportIntervalSeconds,
    String chip,
    String chipGeneration,
    long memoryBytes,
    String osName,
    String osVersion,
    String osBuild,
    String ollamaVersion,
    String ollamaState,
    byte[] snapshot,
    Map<String, String> labels,
    List<ModelRow> models,
    Headline headline,
    Agentless agentless,
    Flags flags) {

  /**
   * What the controller flags on the host: reports the agent saw acknowledged that the database no longer holds
   * (a restored or damaged database), and the agent's clock minus the controller's when off by more than a minute.
   */
  public record Flags(long historyGap, long clockSkewMs) {
    public static final Flags NONE = new Flags(0, 0);
  }

  /** The newest agentless check (macfleet ssh check); null before the first. */
  public record Agentless(String state, String summary, OffsetDateTime at) {}

  public boolean revoked() {
    return revokedAt != null;
  }
}
