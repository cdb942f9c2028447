package io.macfleet.controller.interchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One NDJSON line to one record. Unknown fields are ignored; an unknown kind is empty (the caller warns);
 * anything else that is wrong throws with the line number and the field.
 */
public final class RecordParser {
  /** Ollama's error text kept with a failed sample; longer is not a message but an attack. */
  static final int MAX_ERROR_MESSAGE = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIGEST = Pattern.compile("(sha256:)?[0-9a-f]{64}");
  private static final Set<String> THERMAL =
      Set.of("nominal", "moderate", "heavy", "trapping", "sleeping");
  private static final Set<String> POWER = Set.of("ac", "battery", "ups");
  private static final Set<String> MEMORY = Set.of("normal", "warn", "critical");
  private static final Set<String> PURPOSE = java.util.Arrays.stream(RunPurpose.values())
      .map(RunPurpose::wire)
      .collect(java.util.stream.Collectors.toSet());
  private static final int MAX_LINE_CHARS = 1 << 20;

  private RecordParser() {}

  public static Optional<Records.Record> parse(long line, String text) throws InterchangeException {
    if (text.length() > MAX_LINE_CHARS) {
      throw new InterchangeException(line, "longer than " + MAX_LINE_CHARS + " characters");
    }
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InterchangeException(line, "not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new InterchangeException(line, "not a JSON object");
    }
    F f = new F(line, n);
    String kind = f.req("kind");
    return switch (kind) {
      case "host" ->
        Optional.of(new Records.Host(
            f.req("host"),
            f.opt("chip"),
            f.opt("chip_generation"),
            f.optLong("memory_bytes"),
            f.oneOf("role", Set.of("control", "fleet"), "fleet"),
            f.map("labels")));
      case "state" ->
        Optional.of(new Records.State(
            f.req("host"),
            f.time("at"),
            f.opt("ollama_version"),
            f.opt("os_version"),
            f.opt("os_build"),
            f.models(),
            f.map("ollama_env")));
      case "telemetry" ->
        Optional.of(new Records.Telemetry(
            f.req("host"),
            f.time("at"),
            f.oneOf("thermal_pressure", THERMAL, null),
            f.oneOf("power_source", POWER, null),
            f.optInt("battery_percent"),
            f.optBool("lid_closed"),
            f.optBool("external_display"),
            f.countLong("swap_used_bytes"),
            f.oneOf("memory_pressure", MEMORY, null)));
      case "event" -> Optional.of(new Records.Event(f.req("host"), f.time("at"), f.req("event")));
      case "run" ->
        Optional.of(new Records.Run(
            f.req("run"),
            f.req("host"),
            f.time("started_at"),
            f.has("ended_at") ? f.endedAt() : null,
            f.req("model"),
            f.digest("digest"),
            f.opt("ollama_version"),
            f.opt("os_build"),
            f.oneOf("backend", Set.of("mlx", "llama.cpp"), null),
            f.opt("prompt_set"),
            f.oneOf("purpose", PURPOSE, RunPurpose.SCHEDULED.wire()),
            Boolean.TRUE.equals(f.optBool("baseline"))));
      case "sample" -> Optional.of(sample(f));
      case "clients" -> Optional.of(clients(f));
      default -> Optional.empty();
    };
  }

  private static final Set<String> CALLER_KINDS =
      Set.of("ide", "cli", "automation", "remote", "other");
  static final int MAX_CALLERS = 64;
  static final int MAX_PATHS = 32;

  private static Records.Clients clients(F f) throws InterchangeException {
    List<Records.Caller> callers = new ArrayList<>();
    for (F c : f.objects("clients", MAX_CALLERS)) {
      Integer pid = c.count("pid");
      Integer conns = c.count("connections");
      callers.add(new Records.Caller(
          c.label("name", 128),
          c.oneOf("kind", CALLER_KINDS, "other"),
          pid,
          conns == null ? 0 : conns,
          c.bounded("peer", 64)));
    }
    List<Records.PathCount> paths = new ArrayList<>();
    for (F p : f.objects("paths", MAX_PATHS)) {
      Integer req = p.count("requests");
      Integer err = p.count("server_errors");
      paths.add(new Records.PathCount(
          p.label("method", 16),
          p.label("path", 256),
          req == null ? 0 : req,
          err == null ? 0 : err));
    }
    return new Records.Clients(
        f.req("host"),
        f.time("at"),
        f.countOr("connections"),
        f.countOr("requests"),
        f.countOr("server_errors"),
        f.count("max_in_flight"),
        f.countOr("truncated_prompts"),
        f.countOr("truncated_messages"),
        f.count("context_limit"),
        f.count("largest_prompt_tokens"),
        callers,
        paths);
  }

  private static Records.Sample sample(F f) throws InterchangeException {
    Long c = f.optLong("concurrency");
    if (c == null || c < 1 || c > 1024) {
      throw f.bad("concurrency", "must be a whole number from 1 to 1024");
    }
    return new Records.Sample(
        f.req("run"),
        f.has("at") ? f.time("at") : null,
        c.intValue(),
        Boolean.TRUE.equals(f.optBool("cold")),
        f.nonNegative("ttft_ms"),
        f.nonNegative("prefill_tps"),
        f.nonNegative("decode_tps"),
        f.nonNegative("load_ms"),
        f.nonNegative("e2e_ms"),
        f.count("prompt_tokens"),
        f.count("output_tokens"),
        f.opt("error"),
        f.bounded("error_message", MAX_ERROR_MESSAGE),
        f.count("error_tokens"));
  }

  /** Field access that names the line and field in every error. */
  private record F(long line, JsonNode n) {
    InterchangeException bad(String field, String why) {
      return new InterchangeException(line, "\"" + field + "\" " + why);
    }

    boolean has(String k) {
      return n.hasNonNull(k);
    }

    String req(String k) throws InterchangeException {
      String v = opt(k);
      if (v == null || v.isBlank()) {
        throw bad(k, "is required");
      }
      return v;
    }

    String bounded(String k, int max) throws InterchangeException {
      String v = opt(k);
      if (v != null && v.length() > max) {
        throw bad(k, "is longer than " + max + " characters");
      }
      return v;
    }

    /** A required string no longer than max and without control characters (it reaches terminals and logs). */
    String label(String k, int max) throws InterchangeException {
      String v = bounded(k, max);
      if (v == null || v.isEmpty()) {
        throw bad(k, "is required");
      }
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
          throw bad(k, "contains a control character (code " + (int) c + ")");
        }
      }
      return v;
    }

    int countOr(String k) throws InterchangeException {
      Integer v = count(k);
      return v == null ? 0 : v;
    }

    /** An array of objects, at most max of them. */
    List<F> objects(String k, int max) throws InterchangeException {
      JsonNode v = n.get(k);
      List<F> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!v.isArray()) {
        throw bad(k, "must be an array");
      }
      if (v.size() > max) {
        throw bad(k, "has " + v.size() + " entries; at most " + max);
      }
      for (JsonNode o : v) {
        if (!o.isObject()) {
          throw bad(k, "must hold objects");
        }
        out.add(new F(line, o));
      }
      return out;
    }

    String opt(String k) throws InterchangeException {
      JsonNode v = n.get(k);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw bad(k, "must be a string");
      }
      return v.asText();
    }

    String oneOf(String k, Set<String> allowed, String dflt) throws InterchangeException {
      String v = opt(k);
      if (v == null) {
        return dflt;
      }
      if (!allowed.contains(v)) {
        throw bad(
            k, "must be one of " + new java.util.TreeSet<>(allowed) + ", not \"" + cut(v) + "\"");
      }
      return v;
    }

    String digest(String k) throws InterchangeException {
      String v = opt(k);
      if (v != null && !DIGEST.matcher(v).matches()) {
        throw bad(k, "must be 64 lowercase hex digits");
      }
      return v == null ? null : v.startsWith("sha256:") ? v.substring(7) : v;
    }

    Instant time(String k) throws InterchangeException {
      String v = req(k);
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e) {
        throw bad(k, "must be an RFC 3339 time with a zone, like 2026-11-20T10:00:00Z");
      }
    }

    Double num(String k) throws InterchangeException {
      JsonNode v = n.get(k);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw bad(k, "must be a number or null");
      }
      return v.asDouble();
    }

    /** A duration or a rate: no request takes negative time or produces tokens at a negative rate. */
    Double nonNegative(String k) throws InterchangeException {
      Double v = num(k);
      if (v != null && v < 0) {
        throw bad(k, "must not be negative, got " + v);
      }
      return v;
    }

    Long countLong(String k) throws InterchangeException {
      Long v = optLong(k);
      if (v != null && v < 0) {
        throw bad(k, "must not be negative, got " + v);
      }
      return v;
    }

    /** A run's end: not before its start (a negative duration). */
    Instant endedAt() throws InterchangeException {
      Instant ended = time("ended_at");
      if (ended.isBefore(time("started_at"))) {
        throw bad("ended_at", "is before started_at: a run cannot take negative time");
      }
      return ended;
    }

    Integer count(String k) throws InterchangeException {
      Integer v = optInt(k);
      if (v != null && v < 0) {
        throw bad(k, "must not be negative, got " + v);
      }
      return v;
    }

    Long optLong(String k) throws InterchangeException {
      JsonNode v = n.get(k);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.canConvertToLong() || !v.isIntegralNumber()) {
        throw bad(k, "must be a whole number or null");
      }
      return v.asLong();
    }

    Integer optInt(String k) throws InterchangeException {
      Long v = optLong(k);
      if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
        throw bad(k, "is out of range");
      }
      return v == null ? null : v.intValue();
    }

    Boolean optBool(String k) throws InterchangeException {
      JsonNode v = n.get(k);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isBoolean()) {
        throw bad(k, "must be true, false or null");
      }
      return v.asBoolean();
    }

    Map<String, String> map(String k) throws InterchangeException {
      JsonNode v = n.get(k);
      Map<String, String> out = new LinkedHashMap<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!v.isObject()) {
        throw bad(k, "must be an object of strings");
      }
      var it = v.fields();
      while (it.hasNext()) {
        var e = it.next();
        if (!e.getValue().isValueNode()) {
          throw bad(k + "." + e.getKey(), "must be a string");
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return out;
    }

    List<Records.ModelRef> models() throws InterchangeException {
      JsonNode v = n.get("models");
      List<Records.ModelRef> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!v.isArray()) {
        throw bad("models", "must be an array");
      }
      for (JsonNode m : v) {
        F g = new F(line, m);
        String digest = g.digest("digest");
        out.add(new Records.ModelRef(
            g.req("name"),
            digest,
            g.opt("format"),
            g.opt("quantization"),
            g.bounded("declared_dtype", 64)));
      }
      return out;
    }

    private static String cut(String s) {
      return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
  }
}
