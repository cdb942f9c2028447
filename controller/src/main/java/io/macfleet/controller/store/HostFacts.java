package io.macfleet.controller.store;

import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything a report may change on the host row besides its progress (last_seen, last_seq, newest report):
 * the writer compares a report's facts with the host's and rewrites the row only when they differ.
 */
public record HostFacts(
    int intervalSeconds,
    String chip,
    String chipGeneration,
    long memoryBytes,
    String osName,
    String osVersion,
    String osBuild,
    String modelsFp,
    Headline headline) {

  /** The facts of a snapshot whose headline is {@code full} (the wake reason is left out, see below). */
  public static HostFacts of(HostSnapshot s, Headline full) {
    HostIdentity id = s.getIdentity();
    return new HostFacts(
        Math.max(1, s.getReportIntervalSeconds()),
        id.getCpuBrand(),
        id.getChipGeneration(),
        id.getMemoryBytes(),
        id.getOsName(),
        id.getOsVersion() + (id.getOsExtra().isEmpty() ? "" : " " + id.getOsExtra()),
        id.getOsBuild(),
        modelsFingerprint(s),
        withoutWakeReason(full));
  }

  /** The wake reason is not kept on the host row; it rides along in events only. */
  static Headline withoutWakeReason(Headline h) {
    return new Headline(
        h.thermal(),
        h.power(),
        h.batteryPercent(),
        h.mobility(),
        h.memoryPressure(),
        h.swapUsedBytes(),
        h.lastSleep(),
        h.lastWake(),
        "",
        h.ollamaVersion(),
        h.ollamaState());
  }

  /** Identifies the model rows a snapshot would write (names may repeat in a bad report: last one wins). */
  static String modelsFingerprint(HostSnapshot s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (ModelInfo m : s.getOllama().getModelsList()) {
        String row = m.getName()
            + '\0'
            + m.getDigest()
            + '\0'
            + m.getSizeBytes()
            + '\0'
            + m.getFormat()
            + '\0'
            + m.getQuantization()
            + '\0'
            + m.getFamily()
            + '\0'
            + m.getBackend()
            + '\0'
            + m.getLoaded()
            + '\0'
            + m.getArchitecture()
            + '\0'
            + m.getParameterCount()
            + '\0'
            + m.getDeclaredDtype()
            + '\n';
        md.update(row.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String stateLabel(HostSnapshot s) {
    return switch (s.getOllama().getState()) {
      case OLLAMA_UP -> "up";
      case OLLAMA_DOWN -> "down";
      case OLLAMA_UNHEALTHY -> "unhealthy";
      default -> "unknown";
    };
  }
}
