package io.macfleet.controller.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.macfleet.controller.fleet.HostStatusRule;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.ModelRow;
import io.macfleet.proto.v1.HostDetail;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.OllamaState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.TreeSet;

/** Stored hosts into the admin API's messages. */
final class HostSummaries {
  private HostSummaries() {}

  static HostSummary summary(HostRow h, boolean connected, Instant now) {
    TreeSet<String> backends = new TreeSet<>();
    h.models().stream().map(ModelRow::backend).forEach(backends::add);
    HostSummary.Builder b = HostSummary.newBuilder()
        .setHostId(h.id())
        .setName(h.name())
        .setChip(h.chip())
        .setChipGeneration(h.chipGeneration())
        .setMemoryBytes(h.memoryBytes())
        .setOsName(h.osName())
        .setOsVersion(h.osVersion())
        .setOsBuild(h.osBuild())
        .setOllamaVersion(h.ollamaVersion())
        .setOllamaState(state(h.ollamaState()))
        .addAllBackends(backends)
        .setModelCount(h.models().size())
        .putAllLabels(h.labels())
        .setStatus(HostStatusRule.status(
            h.lastSeen() == null ? null : h.lastSeen().toInstant(),
            h.reportIntervalSeconds(),
            h.revoked(),
            now))
        .setConnected(connected)
        .setLastSeq(h.lastSeq());
    if (h.flags() != null) {
      b.setHistoryGap(h.flags().historyGap()).setClockSkewMs(h.flags().clockSkewMs());
    }
    if (h.lastSeen() != null) {
      b.setLastSeen(ts(h.lastSeen()));
    }
    if (h.headline() != null) {
      var hl = h.headline();
      b.setThermalLevel(hl.thermal())
          .setPowerSource(hl.power())
          .setMobility(hl.mobility())
          .setMemoryPressure(hl.memoryPressure());
      if (hl.batteryPercent() != null) {
        b.setBatteryPercent(hl.batteryPercent());
      }
      if (hl.swapUsedBytes() != null) {
        b.setSwapUsedBytes(hl.swapUsedBytes());
      }
    }
    if (h.enrolledAt() != null) {
      b.setEnrolledAt(ts(h.enrolledAt()));
    }
    if (h.agentless() != null) {
      b.setAgentlessState(h.agentless().state())
          .setAgentlessSummary(h.agentless().summary())
          .setAgentlessAt(ts(h.agentless().at()));
    }
    return b.build();
  }

  static HostDetail detail(HostRow h, boolean connected, Instant now) {
    HostDetail.Builder d = HostDetail.newBuilder().setSummary(summary(h, connected, now));
    if (h.snapshot() != null) {
      try {
        d.setSnapshot(HostSnapshot.parseFrom(h.snapshot()));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("stored snapshot of " + h.name() + " is unreadable", e);
      }
    }
    return d.build();
  }

  private static OllamaState state(String s) {
    return switch (s) {
      case "up" -> OllamaState.OLLAMA_UP;
      case "down" -> OllamaState.OLLAMA_DOWN;
      case "unhealthy" -> OllamaState.OLLAMA_UNHEALTHY;
      default -> OllamaState.OLLAMA_STATE_UNSPECIFIED;
    };
  }

  private static Timestamp ts(OffsetDateTime t) {
    Instant i = t.toInstant();
    return Timestamp.newBuilder()
        .setSeconds(i.getEpochSecond())
        .setNanos(i.getNano())
        .build();
  }
}
