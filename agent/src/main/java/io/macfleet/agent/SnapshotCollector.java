package io.macfleet.agent;

import com.google.protobuf.Timestamp;
import io.macfleet.agent.collect.IdentityCollector;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds a host snapshot. Identity facts change rarely and cost process spawns on macOS, so they
 * are re-read once per report interval; Ollama's inventory is read every time.
 */
public final class SnapshotCollector {
  private final IdentityCollector identity;
  private final OllamaInventoryCollector ollama;
  private final String nameOverride;
  private final Duration identityTtl;
  private final Clock clock;
  private HostIdentity cached;
  private Instant cachedAt = Instant.MIN;

  public SnapshotCollector(IdentityCollector identity, OllamaInventoryCollector ollama, String nameOverride,
      Duration identityTtl, Clock clock) {
    this.identity = identity;
    this.ollama = ollama;
    this.nameOverride = nameOverride;
    this.identityTtl = identityTtl;
    this.clock = clock;
  }

  public synchronized HostSnapshot collect(int intervalSeconds, long spoolDropped) {
    long t0 = System.nanoTime();
    Instant now = clock.instant();
    if (cached == null || Duration.between(cachedAt, now).compareTo(identityTtl) >= 0) {
      HostIdentity id = identity.collect();
      if (nameOverride != null && !nameOverride.isBlank()) {
        id = id.toBuilder().setHostname(nameOverride).build();
      }
      cached = id;
      cachedAt = now;
    }
    OllamaInventory inv = ollama.collect();
    return HostSnapshot.newBuilder()
        .setIdentity(cached)
        .setOllama(inv)
        .setCollectedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setAgentVersion(AgentVersion.get())
        .setReportIntervalSeconds(intervalSeconds)
        .setSpoolDropped(spoolDropped)
        .setCollectMillis((int) ((System.nanoTime() - t0) / 1_000_000))
        .build();
  }

  /**
   * What counts as "a change worth reporting now": identity, Ollama state/version and each model's
   * name, digest, format, quantization and loaded flag. Timestamps such as expires_at move on their own.
   */
  public static HostSnapshot fingerprint(HostSnapshot s) {
    OllamaInventory.Builder inv = s.getOllama().toBuilder().clearError().clearModels();
    for (ModelInfo m : s.getOllama().getModelsList()) {
      inv.addModels(ModelInfo.newBuilder().setName(m.getName()).setDigest(m.getDigest()).setFormat(m.getFormat())
          .setQuantization(m.getQuantization()).setLoaded(m.getLoaded()));
    }
    return HostSnapshot.newBuilder().setIdentity(s.getIdentity()).setOllama(inv).build();
  }
}
