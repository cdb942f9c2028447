package io.macfleet.controller.cli;

import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.Memory;
import io.macfleet.proto.v1.Power;
import io.macfleet.proto.v1.SleepAssertion;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.Thermal;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The telemetry block of `macfleet host NAME`. */
final class TelemetryView {
  private TelemetryView() {}

  static void print(Telemetry t, PrintWriter out) {
    row(out, "thermal", thermal(t.getThermal()));
    row(out, "power", power(t.getPower()));
    List<String> dock = new ArrayList<>();
    dock.add(label(t.getSleep().getMobility().name(), "MOBILITY_"));
    if (!label(t.getSleep().getLid().name(), "LID_").equals("-")) {
      dock.add("lid " + label(t.getSleep().getLid().name(), "LID_"));
    }
    if (t.getSleep().hasExternalDisplay()) {
      dock.add(t.getSleep().getExternalDisplay() ? "external display" : "no external display");
    }
    row(out, "mobility", String.join(", ", dock));
    List<String> sleep = new ArrayList<>();
    if (t.getSleep().hasLastSleep()) {
      sleep.add("last sleep " + Formats.local(t.getSleep().getLastSleep()));
    }
    if (t.getSleep().hasLastWake()) {
      sleep.add("last wake " + Formats.local(t.getSleep().getLastWake())
          + (t.getSleep().getWakeReason().isEmpty()
              ? ""
              : " (" + t.getSleep().getWakeReason() + ")"));
    }
    if (t.getSleep().hasSleepCount()) {
      sleep.add(t.getSleep().getSleepCount() + " sleeps since boot");
    }
    row(out, "sleep", sleep.isEmpty() ? "-" : String.join(", ", sleep));
    row(
        out,
        "kept awake by",
        t.getSleep().getPreventersCount() == 0
            ? "-"
            : t.getSleep().getPreventersList().stream()
                .map(TelemetryView::preventer)
                .collect(Collectors.joining("; ")));
    row(out, "memory", memory(t.getMemory()));
    row(
        out,
        "uptime",
        t.hasUptimeSeconds()
            ? duration(t.getUptimeSeconds()) + " (booted " + Formats.local(t.getBootTime()) + ")"
            : "-");
    row(
        out,
        "ollama env",
        t.getOllamaSettingsCount() == 0
            ? "-"
            : t.getOllamaSettingsMap().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
    row(
        out,
        "collectors",
        t.getCollectorsList().stream()
            .map(TelemetryView::collector)
            .collect(Collectors.joining("; ")));
  }

  private static String thermal(Thermal t) {
    if (t.getSource().isEmpty()) {
      return "-";
    }
    String s = label(t.getLevel().name(), "THERMAL_") + " (" + t.getSource() + ")";
    if (t.hasCpuSpeedLimitPercent()) {
      s += ", cpu speed limit " + t.getCpuSpeedLimitPercent() + "%";
    }
    if (t.hasMaxZoneCelsius()) {
      s += String.format(Locale.ROOT, ", hottest zone %.1f °C", t.getMaxZoneCelsius());
    }
    return t.getThrottled() ? s + ", THROTTLED" : s;
  }

  private static String power(Power p) {
    if (p.getSourceValue() == 0) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    parts.add(label(p.getSource().name(), "POWER_"));
    if (p.hasBatteryPercent()) {
      parts.add("battery " + p.getBatteryPercent() + "%");
    }
    if (!p.getChargingState().isEmpty()) {
      parts.add(p.getChargingState());
    }
    if (p.hasMinutesRemaining()) {
      parts.add(String.format(
          "%d:%02d remaining", p.getMinutesRemaining() / 60, p.getMinutesRemaining() % 60));
    }
    if (p.hasLowPowerMode()) {
      parts.add("low power mode " + (p.getLowPowerMode() ? "on" : "off"));
    }
    return String.join(", ", parts);
  }

  private static String memory(Memory m) {
    List<String> parts = new ArrayList<>();
    if (m.getPressureValue() != 0) {
      parts.add("pressure " + label(m.getPressure().name(), "MEMORY_"));
    }
    if (m.hasSwapUsedBytes()) {
      parts.add("swap " + (m.getSwapUsedBytes() == 0 ? "0" : Formats.bytes(m.getSwapUsedBytes()))
          + " used"
          + (m.hasSwapTotalBytes() && m.getSwapTotalBytes() > 0
              ? " of " + Formats.bytes(m.getSwapTotalBytes())
              : ""));
    }
    if (m.hasFreePercent()) {
      parts.add(m.getFreePercent() + "% free");
    }
    if (m.hasCompressorBytes()) {
      parts.add("compressor " + Formats.bytes(m.getCompressorBytes()));
    }
    if (m.hasSwapins()) {
      parts.add("swapins " + m.getSwapins() + ", swapouts " + m.getSwapouts());
    }
    if (m.hasPsiSomeAvg10()) {
      parts.add(String.format(
          Locale.ROOT, "PSI some %.1f%% full %.1f%%", m.getPsiSomeAvg10(), m.getPsiFullAvg10()));
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String preventer(SleepAssertion a) {
    return a.getProcess() + "(" + a.getPid() + ") " + a.getType() + " \"" + a.getName() + "\""
        + (a.getAge().isEmpty() ? "" : " for " + a.getAge());
  }

  private static String collector(CollectorStatus c) {
    String o = switch (c.getOutcome()) {
      case OK -> "ok";
      case NOT_APPLICABLE -> "n/a";
      case FAILED -> "FAILED";
      default -> "?";
    };
    return c.getName() + " " + o + (c.getMessage().isEmpty() ? "" : " (" + c.getMessage() + ")");
  }

  static String duration(long seconds) {
    long d = seconds / 86400;
    long h = seconds % 86400 / 3600;
    long m = seconds % 3600 / 60;
    return d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + m + "m" : m + "m";
  }

  private static String label(String enumName, String prefix) {
    if (enumName.endsWith("_UNSPECIFIED")) {
      return "-";
    }
    return enumName
        .substring(enumName.startsWith(prefix) ? prefix.length() : 0)
        .toLowerCase(Locale.ROOT);
  }

  private static void row(PrintWriter out, String k, String v) {
    out.printf("%-14s %s%n", k, Table.escape(v));
  }
}
