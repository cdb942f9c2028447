package io.macfleet.controller.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An agent's probe run (the JSON `macfleet-agent probe --json` prints and the agent sends back) as interchange
 * records: the run with its triple, its samples (warm-up and cold calls marked cold, Gate B), and one telemetry
 * record summing up the per-second sampling during the run (worst thermal level, battery if it ran on battery at
 * all, the 90-second swap average, worst memory pressure), plus a sleep event when the host slept or woke.
 */
public final class AgentRunMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Mapped(
      Records.Run run,
      List<Records.Sample> samples,
      Optional<Records.Telemetry> telemetry,
      Optional<Records.Event> sleep) {}

  private AgentRunMapper() {}

  public static Mapped map(String runId, String host, String purpose, String runJson)
      throws IOException {
    return map(runId, host, purpose, runJson, java.time.Duration.ZERO);
  }

  /**
   * {@code agentClockOffset}: how far the agent's clock was off the controller's when it ran (zero when believable);
   * every time in the record is moved back by it, onto the controller's timeline.
   */
  public static Mapped map(
      String runId,
      String host,
      String purpose,
      String runJson,
      java.time.Duration agentClockOffset)
      throws IOException {
    java.util.function.UnaryOperator<Instant> onOurClock =
        t -> t == null ? null : t.minus(agentClockOffset);
    JsonNode r = JSON.readTree(runJson);
    if (r == null || !r.isObject()) {
      throw new IOException("the run record is not a JSON object");
    }
    JsonNode triple = r.path("triple_at_start");
    Instant started = onOurClock.apply(time(r.path("started_at").asText(null)));
    Instant ended = onOurClock.apply(time(r.path("ended_at").asText(null)));
    if (started == null) {
      throw new IOException("the run record has no started_at");
    }
    String format = triple.path("model_format").asText("");
    String digest = triple.path("model_digest").asText("");
    Records.Run run = new Records.Run(
        runId,
        host,
        started,
        ended,
        r.path("options").path("model").asText(""),
        digest.matches("[0-9a-f]{64}") ? digest : null,
        blankToNull(triple.path("ollama_version").asText("")),
        blankToNull(triple.path("os_build").asText("")),
        format.equals("safetensors") ? "mlx" : format.equals("gguf") ? "llama.cpp" : null,
        blankToNull(r.path("options").path("prompt_set").asText("")),
        purpose,
        false);
    List<Records.Sample> samples = new ArrayList<>();
    for (JsonNode s : r.path("samples")) {
      String phase = s.path("phase").asText("steady");
      String error = s.path("error").asText("NONE");
      samples.add(new Records.Sample(
          runId,
          onOurClock.apply(time(s.path("at").asText(null))),
          Math.max(1, s.path("concurrency").asInt(1)),
          !phase.equals("steady"),
          num(s, "ttft_ms"),
          num(s, "prefill_tokens_per_second"),
          num(s, "decode_tokens_per_second"),
          s.hasNonNull("load_duration_ns") ? s.path("load_duration_ns").asLong() / 1e6 : null,
          num(s, "e2e_ms"),
          s.hasNonNull("prompt_eval_count") ? s.path("prompt_eval_count").asInt() : null,
          s.hasNonNull("eval_count") ? s.path("eval_count").asInt() : null,
          error.equals("NONE") ? null : error.toLowerCase(Locale.ROOT),
          error.equals("NONE") ? null : blankToNull(s.path("error_message").asText("")),
          error.equals("NONE") ? null : s.path("chunks").asInt(0)));
    }
    JsonNode t = r.path("telemetry");
    Optional<Records.Telemetry> tel = Optional.empty();
    Optional<Records.Event> sleep = Optional.empty();
    if (t.path("samples").asInt(0) > 0) {
      boolean battery = false;
      boolean ac = false;
      for (JsonNode p : t.path("power_sources")) {
        battery |= p.asText().equals("battery");
        ac |= p.asText().equals("ac");
      }
      Double swap = num(t, "swap_used_avg_last90s_bytes");
      // docked means an external display (or the lid closed on one); on its own, none: the undocked
      // factor
      String mobility = t.path("mobility").asText("");
      Boolean display = mobility.equals("mobile")
          ? Boolean.FALSE
          : mobility.equals("docked") ? Boolean.TRUE : null;
      tel = Optional.of(new Records.Telemetry(
          host,
          started,
          blankToNull(t.path("max_thermal_level").asText("")),
          battery ? "battery" : ac ? "ac" : null,
          null,
          null,
          display,
          swap == null ? null : swap.longValue(),
          blankToNull(t.path("worst_memory_pressure").asText(""))));
      if (t.path("slept_or_woke").asBoolean(false)) {
        sleep = Optional.of(new Records.Event(host, started.plusMillis(1), "sleep"));
      }
    }
    return new Mapped(run, samples, tel, sleep);
  }

  private static Double num(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? null : v.asDouble();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Instant time(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.parse(s);
    }
  }
}
