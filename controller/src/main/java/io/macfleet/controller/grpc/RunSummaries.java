package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.macfleet.controller.store.RunRow;
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
        .setPurpose(r.purpose())
        .setStatus(r.status())
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

  private static Timestamp ts(OffsetDateTime t) {
    Instant i = t.toInstant();
    return Timestamp.newBuilder()
        .setSeconds(i.getEpochSecond())
        .setNanos(i.getNano())
        .build();
  }
}
