package io.macfleet.controller.store;

import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.Telemetry;
import java.util.Locale;

/**
 * The few telemetry facts kept on the host row, compared report to report to derive events. Empty strings
 * mean "unknown" (not applicable or not read); sleep and wake are epoch seconds or null.
 */
public record Headline(
    String thermal,
    String power,
    Integer batteryPercent,
    String mobility,
    String memoryPressure,
    Long swapUsedBytes,
    Long lastSleep,
    Long lastWake,
    String wakeReason,
    String ollamaVersion,
    String ollamaState) {

  public static Headline of(HostSnapshot s, String ollamaState) {
    Telemetry t = s.getTelemetry();
    return new Headline(
        label(t.getThermal().getLevel().name(), "THERMAL_"),
        label(t.getPower().getSource().name(), "POWER_"),
        t.getPower().hasBatteryPercent() ? t.getPower().getBatteryPercent() : null,
        label(t.getSleep().getMobility().name(), "MOBILITY_"),
        label(t.getMemory().getPressure().name(), "MEMORY_"),
        t.getMemory().hasSwapUsedBytes() ? t.getMemory().getSwapUsedBytes() : null,
        t.getSleep().hasLastSleep() ? t.getSleep().getLastSleep().getSeconds() : null,
        t.getSleep().hasLastWake() ? t.getSleep().getLastWake().getSeconds() : null,
        t.getSleep().getWakeReason(),
        s.getOllama().getVersion(),
        ollamaState);
  }

  /** "THERMAL_HEAVY" → "heavy"; the unspecified value → "". */
  static String label(String enumName, String prefix) {
    if (enumName.endsWith("_UNSPECIFIED") || enumName.equals("UNRECOGNIZED")) {
      return "";
    }
    String s = enumName.startsWith(prefix) ? enumName.substring(prefix.length()) : enumName;
    return s.toLowerCase(Locale.ROOT);
  }
}
