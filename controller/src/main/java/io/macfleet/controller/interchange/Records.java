package io.macfleet.controller.interchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The records of the interchange format (docs/interchange.md), as read and written. */
public final class Records {
  private Records() {}

  public sealed interface Record permits Host, State, Telemetry, Event, Run, Sample, Clients {}

  public record Host(
      String host,
      String chip,
      String chipGeneration,
      Long memoryBytes,
      String role,
      Map<String, String> labels)
      implements Record {
    public boolean isControl() {
      return "control".equals(role);
    }
  }

  /** A model a host holds; declaredDtype is what its Ollama's /api/show declares (Gate A), null when not known. */
  public record ModelRef(
      String name, String digest, String format, String quantization, String declaredDtype) {
    public ModelRef(String name, String digest, String format, String quantization) {
      this(name, digest, format, quantization, null);
    }
  }

  public record State(
      String host,
      Instant at,
      String ollamaVersion,
      String osVersion,
      String osBuild,
      List<ModelRef> models,
      Map<String, String> ollamaEnv)
      implements Record {}

  public record Telemetry(
      String host,
      Instant at,
      String thermalPressure,
      String powerSource,
      Integer batteryPercent,
      Boolean lidClosed,
      Boolean externalDisplay,
      Long swapUsedBytes,
      String memoryPressure)
      implements Record {}

  public record Event(String host, Instant at, String event) implements Record {}

  /** One caller of a host's Ollama: kind is ide, cli, automation, remote or other. */
  public record Caller(String name, String kind, Integer pid, int connections, String peer) {}

  /** Requests to one method and path, and how many of them ended 5xx. */
  public record PathCount(String method, String path, int requests, int serverErrors) {}

  /**
   * Gate C: who called a host's Ollama in the interval ending at {@code at}. maxInFlight is null when no server.log
   * was read (the agent has no --ollama-log); connections counts every caller's connections when they were listed.
   */
  public record Clients(
      String host,
      Instant at,
      int connections,
      int requests,
      int serverErrors,
      Integer maxInFlight,
      int truncatedPrompts,
      int truncatedMessages,
      Integer contextLimit,
      Integer largestPromptTokens,
      List<Caller> callers,
      List<PathCount> paths)
      implements Record {
    public int truncations() {
      return truncatedPrompts + truncatedMessages;
    }
  }

  public record Run(
      String run,
      String host,
      Instant startedAt,
      Instant endedAt,
      String model,
      String digest,
      String ollamaVersion,
      String osBuild,
      String backend,
      String promptSet,
      String purpose,
      boolean baseline)
      implements Record {}

  /** Numbers are null when not measured (a failed request has no decode rate). */
  public record Sample(
      String run,
      Instant at,
      int concurrency,
      boolean cold,
      Double ttftMs,
      Double prefillTps,
      Double decodeTps,
      Double loadMs,
      Double e2eMs,
      Integer promptTokens,
      Integer outputTokens,
      String error,
      // what Ollama said when it failed (load_failed, midstream_error), and the tokens it had sent
      // by then
      String errorMessage,
      Integer errorTokens)
      implements Record {
    /** The interchange's sample without the failure details (a request that succeeded, a bulk loader). */
    public Sample(
        String run,
        Instant at,
        int concurrency,
        boolean cold,
        Double ttftMs,
        Double prefillTps,
        Double decodeTps,
        Double loadMs,
        Double e2eMs,
        Integer promptTokens,
        Integer outputTokens,
        String error) {
      this(
          run,
          at,
          concurrency,
          cold,
          ttftMs,
          prefillTps,
          decodeTps,
          loadMs,
          e2eMs,
          promptTokens,
          outputTokens,
          error,
          null,
          null);
    }
  }
}
