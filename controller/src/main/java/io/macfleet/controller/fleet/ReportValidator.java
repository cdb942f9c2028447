package io.macfleet.controller.fleet;

import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.ReportRequest;

/** Checks a report before it is stored; a refusal names the first problem found. */
public final class ReportValidator {
  public static final int MAX_MODELS = 2000;

  private ReportValidator() {}

  public static void validate(ReportRequest r, String authenticatedHostId) {
    if (!r.getHostId().equals(authenticatedHostId)) {
      throw new FleetException(
          FleetException.Kind.DENIED,
          "a host can only report as itself (node key belongs to " + authenticatedHostId
              + ", report claims " + Names.printable(r.getHostId()) + ")");
    }
    if (r.getSeq() < 1) {
      throw invalid("seq must be 1 or more");
    }
    if (!r.hasSnapshot()) {
      throw invalid("report has no snapshot");
    }
    HostSnapshot s = r.getSnapshot();
    if (!s.hasCollectedAt()) {
      throw invalid("snapshot has no collected_at");
    }
    // times no clock could produce; a plausible but skewed one is stored and flagged (HostFlags)
    time("snapshot.collected_at", s.getCollectedAt());
    if (r.hasSentAt()) {
      time("sent_at", r.getSentAt());
    }
    var telemetry = s.getTelemetry();
    if (telemetry.hasBootTime()) {
      time("telemetry.boot_time", telemetry.getBootTime());
    }
    if (telemetry.getSleep().hasLastSleep()) {
      time("telemetry.sleep.last_sleep", telemetry.getSleep().getLastSleep());
    }
    if (telemetry.getSleep().hasLastWake()) {
      time("telemetry.sleep.last_wake", telemetry.getSleep().getLastWake());
    }
    if (s.getIdentity().getHostname().isBlank()) {
      throw invalid("snapshot has no hostname");
    }
    if (s.getOllama().getModelsCount() > MAX_MODELS) {
      throw invalid(
          "snapshot lists " + s.getOllama().getModelsCount() + " models; at most " + MAX_MODELS);
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < s.getOllama().getModelsCount(); i++) {
      ModelInfo m = s.getOllama().getModels(i);
      if (!names.add(m.getName())) {
        throw invalid("models[" + i + "] repeats the name " + Names.printable(m.getName()));
      }
      if (m.getName().isBlank()) {
        throw invalid("models[" + i + "] has no usable name");
      }
      length("models[" + i + "].name", m.getName(), 255);
      if (!m.getDigest().isEmpty() && !isDigest(m.getDigest())) {
        throw invalid("models[" + i + "] (" + Names.printable(m.getName())
            + ") digest is not 64 lowercase hex");
      }
      length("models[" + i + "].format", m.getFormat(), 32);
      length("models[" + i + "].quantization", m.getQuantization(), 32);
      length("models[" + i + "].family", m.getFamily(), 64);
      length("models[" + i + "].architecture", m.getArchitecture(), 64);
      length("models[" + i + "].declared_dtype", m.getDeclaredDtype(), 64);
    }
    // every string the host row keeps, against its column
    var id = s.getIdentity();
    length("identity.cpu_brand", id.getCpuBrand(), 128);
    length("identity.os_version", id.getOsVersion(), 24);
    // stored as "os_version os_extra" in a 32-character column
    length(
        "identity.os_extra",
        id.getOsExtra(),
        id.getOsExtra().isEmpty() ? 0 : 31 - id.getOsVersion().length());
    length("identity.os_build", id.getOsBuild(), 32);
    length("identity.os_name", id.getOsName(), 64);
    length("identity.chip_generation", id.getChipGeneration(), 16);
    length("ollama.version", s.getOllama().getVersion(), 64);
    if (s.hasClients()) {
      clients(s.getClients());
    }
  }

  public static final int MAX_CLIENTS = 64;
  public static final int MAX_PATHS = 32;

  /** Gate C's part: bounded lists, strings that fit their columns, times a clock could produce. */
  private static void clients(io.macfleet.proto.v1.Clients c) {
    if (c.getClientsCount() > MAX_CLIENTS) {
      throw invalid("clients lists " + c.getClientsCount() + " callers; at most " + MAX_CLIENTS);
    }
    for (int i = 0; i < c.getClientsCount(); i++) {
      var k = c.getClients(i);
      length("clients[" + i + "].name", k.getName(), 128);
      length("clients[" + i + "].peer", k.getPeer(), 64);
    }
    var log = c.getLog();
    if (log.getPathsCount() > MAX_PATHS) {
      throw invalid("clients.log lists " + log.getPathsCount() + " paths; at most " + MAX_PATHS);
    }
    for (int i = 0; i < log.getPathsCount(); i++) {
      length("clients.log.paths[" + i + "].method", log.getPaths(i).getMethod(), 16);
      length("clients.log.paths[" + i + "].path", log.getPaths(i).getPath(), 256);
    }
    length("clients.log.note", log.getNote(), 512);
    if (log.hasFirst()) {
      time("clients.log.first", log.getFirst());
    }
    if (log.hasLast()) {
      time("clients.log.last", log.getLast());
    }
    length("clients.connections.message", c.getConnections().getMessage(), 512);
    length("clients.log_status.message", c.getLogStatus().getMessage(), 512);
  }

  /** The earliest and latest times a report may carry: before 2000 or after 9999 no clock produced it. */
  static final long EARLIEST = java.time.Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();

  static final long LATEST = java.time.Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private static void time(String field, com.google.protobuf.Timestamp t) {
    if (t.getSeconds() < EARLIEST
        || t.getSeconds() > LATEST
        || t.getNanos() < 0
        || t.getNanos() > 999_999_999) {
      throw invalid(field + " is not a time a clock could produce (seconds " + t.getSeconds()
          + ", nanos " + t.getNanos() + "); it must fall between 2000 and 9999");
    }
  }

  /** A stored string: no longer than its column, and without control characters. Imports obey it too. */
  static void length(String field, String value, int max) {
    if (value.length() > Math.max(0, max)) {
      throw invalid(
          field + " is " + value.length() + " characters long; at most " + Math.max(0, max));
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
        // ESC, BEL, CR, LF…: a name that would move a terminal's cursor or forge a log line is no
        // name
        throw invalid(
            field + " contains a control character (code " + (int) c + ") at position " + i);
      }
    }
  }

  /**
   * 64 lowercase hex digits, as Ollama names a blob. Checked by hand rather than by a regular expression: every
   * model of every report passes here, on the network thread.
   */
  static boolean isDigest(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static FleetException invalid(String why) {
    return new FleetException(FleetException.Kind.INVALID, why);
  }
}
