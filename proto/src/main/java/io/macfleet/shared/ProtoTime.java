package io.macfleet.shared;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** An instant as the contracts carry it: protobuf's Timestamp, to the nanosecond. */
public final class ProtoTime {
  private ProtoTime() {}

  public static Timestamp of(Instant t) {
    return Timestamp.newBuilder()
        .setSeconds(t.getEpochSecond())
        .setNanos(t.getNano())
        .build();
  }
}
