package io.macfleet.controller.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Events from two consecutive headlines of one host. A value that became unknown is not a change (a
 * collector failing must not look like the Mac cooling down); sleep and wake carry the kernel's own times.
 */
public final class HeadlineChanges {
  private HeadlineChanges() {}

  public static List<EventRow> between(
      Headline before, Headline after, String hostId, OffsetDateTime observedAt, long seq) {
    List<EventRow> out = new ArrayList<>();
    if (before == null) {
      return out; // the first report sets the baseline
    }
    change(out, "thermal", before.thermal(), after.thermal(), hostId, observedAt, seq, "");
    change(
        out,
        "power",
        before.power(),
        after.power(),
        hostId,
        observedAt,
        seq,
        after.batteryPercent() == null ? "" : "battery " + after.batteryPercent() + "%");
    change(out, "mobility", before.mobility(), after.mobility(), hostId, observedAt, seq, "");
    change(
        out,
        "memory_pressure",
        before.memoryPressure(),
        after.memoryPressure(),
        hostId,
        observedAt,
        seq,
        after.swapUsedBytes() == null
            ? ""
            : "swap used " + after.swapUsedBytes() / (1 << 20) + " MiB");
    change(
        out,
        "ollama_version",
        before.ollamaVersion(),
        after.ollamaVersion(),
        hostId,
        observedAt,
        seq,
        "");
    change(
        out,
        "ollama_state",
        before.ollamaState(),
        after.ollamaState(),
        hostId,
        observedAt,
        seq,
        "");
    if (after.lastSleep() != null && !Objects.equals(before.lastSleep(), after.lastSleep())) {
      out.add(new EventRow(0, hostId, null, at(after.lastSleep()), "sleep", "", "", "", seq));
    }
    if (after.lastWake() != null && !Objects.equals(before.lastWake(), after.lastWake())) {
      out.add(new EventRow(
          0,
          hostId,
          null,
          at(after.lastWake()),
          "wake",
          "",
          "",
          after.wakeReason() == null || after.wakeReason().isEmpty()
              ? ""
              : "reason " + after.wakeReason(),
          seq));
    }
    return out;
  }

  private static void change(
      List<EventRow> out,
      String kind,
      String from,
      String to,
      String hostId,
      OffsetDateTime at,
      long seq,
      String detail) {
    if (to == null || to.isEmpty() || from == null || from.isEmpty() || from.equals(to)) {
      return;
    }
    out.add(new EventRow(0, hostId, null, at, kind, from, to, detail, seq));
  }

  private static OffsetDateTime at(long epochSeconds) {
    return Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC);
  }
}
