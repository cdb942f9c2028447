package io.macfleet.agent.probe;

import java.util.List;
import java.util.Map;

/**
 * A whole probe run: what was asked, the software triple at start and end (a change invalidates the run),
 * every sample (cold and warm-up kept apart from steady state), per-level summaries, the 4-way/1-way TTFT
 * p95 ratio, and the telemetry sampled during the run.
 */
public record ProbeRun(
    ProbeOptions options,
    String startedAt,
    String endedAt,
    Triple tripleAtStart,
    Triple tripleAtEnd,
    String invalidatedBecause,
    List<ProbeSample> samples,
    List<LevelSummary> levels,
    Double ttftP95Ratio,
    TelemetryDuringRun telemetry) {

  /** Ollama version, the model's digest/format/quantization, the OS version and build, Ollama's settings. */
  public record Triple(
      String ollamaVersion,
      String modelDigest,
      String modelFormat,
      String modelQuantization,
      String osVersion,
      String osBuild,
      Map<String, String> ollamaSettings) {}

  /**
   * Per-second telemetry during the run, and what a verdict needs from it. mobility: "mobile" if the laptop was
   * on its own at any second, else "docked" or "desktop" ("" unknown) — the controller's undocked factor.
   */
  public record TelemetryDuringRun(
      int samples,
      String maxThermalLevel,
      List<String> powerSources,
      Double swapUsedAvgLast90sBytes,
      Double swapUsedMaxBytes,
      String worstMemoryPressure,
      boolean sleptOrWoke,
      String mobility) {}
}
