package io.macfleet.controller.cli;

import com.google.protobuf.Timestamp;
import io.macfleet.proto.v1.HostStatus;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.OllamaState;
import io.macfleet.shared.EnumWords;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/** How values read in a terminal. */
final class Formats {
  private Formats() {}

  static String bytes(long b) {
    if (b <= 0) {
      return "-";
    }
    double gib = b / (1024.0 * 1024 * 1024);
    if (gib >= 1) {
      return gib == Math.rint(gib)
          ? String.format("%.0f GiB", gib)
          : String.format("%.1f GiB", gib);
    }
    return String.format("%.0f MiB", b / (1024.0 * 1024));
  }

  static String ago(Timestamp t, Instant now) {
    if (t == null || t.getSeconds() == 0) {
      return "never";
    }
    long s = Math.max(
        0,
        Duration.between(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()), now)
            .toSeconds());
    if (s < 120) {
      return s + "s ago";
    }
    if (s < 7200) {
      return s / 60 + "m ago";
    }
    if (s < 172800) {
      return s / 3600 + "h ago";
    }
    return s / 86400 + "d ago";
  }

  private static final java.time.format.DateTimeFormatter LOCAL =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** A time as tables show it: local and to the second ("-" when unset); JSON and CSV keep ISO-8601. */
  static String local(Timestamp t) {
    return t == null || t.getSeconds() == 0
        ? "-"
        : LOCAL.format(
            Instant.ofEpochSecond(t.getSeconds()).atZone(java.time.ZoneId.systemDefault()));
  }

  static String instant(Timestamp t) {
    return t == null || t.getSeconds() == 0
        ? "-"
        : Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
  }

  /** An enum value as tables and JSON spell it ({@link EnumWords#word}); "-" when unset. */
  static String word(com.google.protobuf.ProtocolMessageEnum e) {
    String w = EnumWords.word(e);
    return w == null ? "-" : w;
  }

  static String status(HostStatus s) {
    String w = EnumWords.word(s);
    return w == null ? "unknown" : w;
  }

  static String ollama(HostSummary h) {
    if (h.getOllamaState() == OllamaState.OLLAMA_UP) {
      return h.getOllamaVersion();
    }
    return switch (h.getOllamaState()) {
      case OLLAMA_DOWN -> "down";
      case OLLAMA_UNHEALTHY -> "unhealthy";
      default -> "-";
    };
  }

  /** macOS as "26.3.1 (25D2128)"; other systems with their name, since a fleet may hold Linux boxes. */
  static String os(HostSummary h) {
    if (h.getOsVersion().isEmpty()) {
      return "-";
    }
    String v = h.getOsBuild().isEmpty()
        ? h.getOsVersion()
        : h.getOsVersion() + " (" + h.getOsBuild() + ")";
    boolean mac = h.getOsName().isEmpty()
        || h.getOsName().startsWith("macOS")
        || h.getOsName().startsWith("Mac OS");
    return mac ? v : h.getOsName() + " " + v;
  }

  static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "-";
    }
    return labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  static String power(HostSummary h) {
    if (h.getPowerSource().isEmpty()) {
      return "-";
    }
    String src = h.getPowerSource().equals("ac")
        ? "AC"
        : h.getPowerSource().equals("ups") ? "UPS" : h.getPowerSource();
    return h.hasBatteryPercent() ? src + " " + h.getBatteryPercent() + "%" : src;
  }

  static String swap(HostSummary h) {
    if (!h.hasSwapUsedBytes()) {
      return "-";
    }
    return h.getSwapUsedBytes() == 0
        ? "0"
        : pastLimit(
            bytes(h.getSwapUsedBytes()),
            h.getSwapUsedBytes()
                > io.macfleet.controller.verdict.Thresholds.defaults().swapAverageBytes());
  }

  /** A value past one of the runbook's limits, marked so in a table ("!" after it; the table says what). */
  static String pastLimit(String value, boolean past) {
    return past ? value + " !" : value;
  }

  static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }
}
