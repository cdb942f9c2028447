package io.macfleet.agent;

import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.Sleep;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.Thermal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds a host snapshot. Identity and telemetry cost process spawns on macOS, so they are refreshed at
 * most once per telemetryTtl (the report interval); Ollama's inventory, one loopback HTTP round, is read
 * every time, so a model change is reported within the change poll.
 */
public final class SnapshotCollector {
  private final HostCollectors host;
  private final OllamaInventoryCollector ollama;
  private final String nameOverride;
  private final Duration telemetryTtl;
  private final Clock clock;
  private HostIdentity identity;
  private Telemetry telemetry;
  private Instant refreshedAt = Instant.MIN;

  public SnapshotCollector(
      HostCollectors host,
      OllamaInventoryCollector ollama,
      String nameOverride,
      Duration telemetryTtl,
      Clock clock) {
    this.host = host;
    this.ollama = ollama;
    this.nameOverride = nameOverride;
    this.telemetryTtl = telemetryTtl;
    this.clock = clock;
  }

  public synchronized HostSnapshot collect(int intervalSeconds, long spoolDropped) {
    long t0 = System.nanoTime();
    Instant now = clock.instant();
    if (identity == null || Duration.between(refreshedAt, now).compareTo(telemetryTtl) >= 0) {
      host.beforeEachRound().run();
      HostIdentity id = host.identity().collect();
      if (nameOverride != null && !nameOverride.isBlank()) {
        id = id.toBuilder().setHostname(nameOverride).build();
      }
      identity = id;
      telemetry = host.telemetry().collect();
      refreshedAt = now;
    }
    OllamaInventory inv = ollama == null ? OllamaInventory.getDefaultInstance() : ollama.collect();
    return HostSnapshot.newBuilder()
        .setIdentity(identity)
        .setOllama(inv)
        .setTelemetry(telemetry)
        .setCollectedAt(io.macfleet.shared.ProtoTime.of(now))
        .setAgentVersion(AgentVersion.get())
        .setReportIntervalSeconds(intervalSeconds)
        .setSpoolDropped(spoolDropped)
        .setCollectMillis((int) ((System.nanoTime() - t0) / 1_000_000))
        .build();
  }

  /**
   * What counts as "a change worth reporting now": identity; Ollama state, version and each model's name,
   * digest, format, quantization and loaded flag; thermal level, power source, mobility, memory pressure,
   * the last sleep and wake. Counters and timestamps such as expires_at move on their own.
   */
  public static HostSnapshot fingerprint(HostSnapshot s) {
    OllamaInventory.Builder inv = s.getOllama().toBuilder().clearError().clearModels();
    for (ModelInfo m : s.getOllama().getModelsList()) {
      inv.addModels(ModelInfo.newBuilder()
          .setName(m.getName())
          .setDigest(m.getDigest())
          .setFormat(m.getFormat())
          .setQuantization(m.getQuantization())
          .setLoaded(m.getLoaded()));
    }
    Telemetry t = s.getTelemetry();
    Telemetry.Builder tf = Telemetry.newBuilder()
        .setThermal(Thermal.newBuilder().setLevel(t.getThermal().getLevel()))
        .setPower(t.getPower().toBuilder().clearBatteryPercent().clearMinutesRemaining())
        .setSleep(Sleep.newBuilder()
            .setMobility(t.getSleep().getMobility())
            .setLastSleep(t.getSleep().getLastSleep())
            .setLastWake(t.getSleep().getLastWake()));
    tf.getMemoryBuilder().setPressure(t.getMemory().getPressure());
    return HostSnapshot.newBuilder()
        .setIdentity(s.getIdentity())
        .setOllama(inv)
        .setTelemetry(tf)
        .build();
  }
}
