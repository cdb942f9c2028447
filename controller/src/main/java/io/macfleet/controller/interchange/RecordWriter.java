package io.macfleet.controller.interchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/** One record to one NDJSON line, field names and vocabulary as interchange.md has them. */
public final class RecordWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordWriter() {}

  public static String line(Records.Record r) {
    ObjectNode n = JSON.createObjectNode();
    if (r instanceof Records.Host h) {
      n.put("kind", "host")
          .put("host", h.host())
          .put("chip", h.chip())
          .put("chip_generation", h.chipGeneration());
      if (h.memoryBytes() != null) {
        n.put("memory_bytes", h.memoryBytes());
      }
      n.put("role", h.role());
      map(n.putObject("labels"), h.labels());
    } else if (r instanceof Records.State s) {
      n.put("kind", "state")
          .put("host", s.host())
          .put("at", time(s.at()))
          .put("ollama_version", s.ollamaVersion())
          .put("os_version", s.osVersion())
          .put("os_build", s.osBuild());
      var models = n.putArray("models");
      for (Records.ModelRef m : s.models()) {
        models
            .addObject()
            .put("name", m.name())
            .put("digest", m.digest())
            .put("format", m.format())
            .put("quantization", m.quantization())
            .put("declared_dtype", m.declaredDtype());
      }
      map(n.putObject("ollama_env"), s.ollamaEnv());
    } else if (r instanceof Records.Telemetry t) {
      n.put("kind", "telemetry")
          .put("host", t.host())
          .put("at", time(t.at()))
          .put("thermal_pressure", t.thermalPressure())
          .put("power_source", t.powerSource())
          .put("battery_percent", t.batteryPercent())
          .put("lid_closed", t.lidClosed())
          .put("external_display", t.externalDisplay())
          .put("swap_used_bytes", t.swapUsedBytes())
          .put("memory_pressure", t.memoryPressure());
    } else if (r instanceof Records.Event e) {
      n.put("kind", "event").put("host", e.host()).put("at", time(e.at())).put("event", e.event());
    } else if (r instanceof Records.Run x) {
      n.put("kind", "run")
          .put("run", x.run())
          .put("host", x.host())
          .put("started_at", time(x.startedAt()))
          .put("ended_at", time(x.endedAt()))
          .put("model", x.model())
          .put("digest", x.digest())
          .put("ollama_version", x.ollamaVersion())
          .put("os_build", x.osBuild())
          .put("backend", x.backend())
          .put("prompt_set", x.promptSet())
          .put("purpose", x.purpose())
          .put("baseline", x.baseline());
    } else if (r instanceof Records.Clients c) {
      n.put("kind", "clients")
          .put("host", c.host())
          .put("at", time(c.at()))
          .put("connections", c.connections())
          .put("requests", c.requests())
          .put("server_errors", c.serverErrors())
          .put("max_in_flight", c.maxInFlight())
          .put("truncated_prompts", c.truncatedPrompts())
          .put("truncated_messages", c.truncatedMessages())
          .put("context_limit", c.contextLimit())
          .put("largest_prompt_tokens", c.largestPromptTokens());
      callers(n.putArray("clients"), c.callers());
      paths(n.putArray("paths"), c.paths());
    } else if (r instanceof Records.Sample s) {
      n.put("kind", "sample")
          .put("run", s.run())
          .put("at", time(s.at()))
          .put("concurrency", s.concurrency())
          .put("cold", s.cold())
          .put("ttft_ms", s.ttftMs())
          .put("prefill_tps", s.prefillTps())
          .put("decode_tps", s.decodeTps())
          .put("load_ms", s.loadMs())
          .put("e2e_ms", s.e2eMs())
          .put("prompt_tokens", s.promptTokens())
          .put("output_tokens", s.outputTokens())
          .put("error", s.error())
          .put("error_message", s.errorMessage())
          .put("error_tokens", s.errorTokens());
    }
    return n.toString();
  }

  /** A clients record's callers, as the record and the store write them. */
  public static ArrayNode callers(ArrayNode into, java.util.List<Records.Caller> callers) {
    for (Records.Caller k : callers) {
      into.addObject()
          .put("name", k.name())
          .put("kind", k.kind())
          .put("pid", k.pid())
          .put("connections", k.connections())
          .put("peer", k.peer());
    }
    return into;
  }

  /** A clients record's paths, as the record and the store write them. */
  public static ArrayNode paths(ArrayNode into, java.util.List<Records.PathCount> paths) {
    for (Records.PathCount p : paths) {
      into.addObject()
          .put("method", p.method())
          .put("path", p.path())
          .put("requests", p.requests())
          .put("server_errors", p.serverErrors());
    }
    return into;
  }

  private static void map(ObjectNode into, Map<String, String> m) {
    if (m != null) {
      m.forEach(into::put);
    }
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
