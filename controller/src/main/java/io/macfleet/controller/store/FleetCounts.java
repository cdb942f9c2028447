package io.macfleet.controller.store;

import java.util.List;
import java.util.Map;

/**
 * The fleet's state as Prometheus gauges count it: enrolled hosts (revoked ones left out) by thermal level and by
 * Ollama state, and the model tags whose digest or declared dtype differs across hosts that have reported (what
 * `macfleet drift` lists), and the hosts failing the runbook's identity and clients gates (Gate A: a host holding a
 * drifted tag; Gate C: a host whose Ollama truncated a prompt, or held more than one request at once with a model
 * on MLX, within the window). Counted by grouped queries: reading every host row took about a second of CPU at
 * 10,000 hosts (see {@link HostRepository#liveness}).
 */
public record FleetCounts(
    Map<String, Long> byThermal,
    Map<String, Long> byOllama,
    long driftedTags,
    long failingIdentity,
    long failingClients) {
  public static final List<String> THERMAL =
      List.of("nominal", "moderate", "heavy", "trapping", "sleeping", "unknown");
  public static final List<String> OLLAMA = List.of("up", "down", "unhealthy", "unknown");

  /** The gates a host can be counted as failing (the gauge's label values). */
  public static final List<String> GATES = List.of("identity", "concurrency", "clients");

  public static final FleetCounts EMPTY = new FleetCounts(Map.of(), Map.of(), 0, 0, 0);
}
