package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.store.RunRow;
import io.macfleet.controller.store.RunStatus;
import io.macfleet.proto.v1.RunSummary;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Stored runs into the admin API's messages. */
final class RunSummaries {
  private RunSummaries() {}

  static RunSummary summary(RunRow r) {
    RunSummary.Builder b = RunSummary.newBuilder()
        .setId(r.id())
        .setHost(r.hostName())
        .setModel(r.model())
        .setPurpose(purpose(r.purpose()))
        .setStatus(status(RunStatus.of(r.status())))
        .setReason(r.reason())
        .addAllLevels(r.levels());
    if (r.requestedAt() != null) {
      b.setRequestedAt(ts(r.requestedAt()));
    }
    if (r.startedAt() != null) {
      b.setStartedAt(ts(r.startedAt()));
    }
    if (r.finishedAt() != null) {
      b.setFinishedAt(ts(r.finishedAt()));
    }
    if (r.ttftP95Ratio() != null) {
      b.setTtftP95Ratio(r.ttftP95Ratio());
    }
    return b.build();
  }

  /** The domain's run status on the wire: RUN_ and its name. */
  static io.macfleet.proto.v1.RunStatus status(RunStatus s) {
    return io.macfleet.proto.v1.RunStatus.valueOf("RUN_" + s.name());
  }

  /** A stored purpose on the wire; one the import grammar never let in reads as unspecified. */
  static io.macfleet.proto.v1.RunPurpose purpose(String stored) {
    return RunPurpose.of(stored)
        .map(p -> io.macfleet.proto.v1.RunPurpose.valueOf("PURPOSE_" + p.name()))
        .orElse(io.macfleet.proto.v1.RunPurpose.RUN_PURPOSE_UNSPECIFIED);
  }

  private static Timestamp ts(OffsetDateTime t) {
    Instant i = t.toInstant();
    return Timestamp.newBuilder()
        .setSeconds(i.getEpochSecond())
        .setNanos(i.getNano())
        .build();
  }
}
