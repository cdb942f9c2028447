package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostRow;
import io.macfleet.proto.v1.DriftReport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's state as Prometheus gauges count it: enrolled hosts (revoked ones left out) by thermal level and by
 * Ollama state, and the model tags whose digest differs across hosts. Pure: from the host rows and the drift
 * report.
 */
public record FleetState(
    Map<String, Long> byThermal, Map<String, Long> byOllama, long driftedTags) {
  public static final List<String> THERMAL =
      List.of("nominal", "moderate", "heavy", "trapping", "sleeping", "unknown");
  public static final List<String> OLLAMA = List.of("up", "down", "unhealthy", "unknown");

  public static final FleetState EMPTY = new FleetState(Map.of(), Map.of(), 0);

  public static FleetState of(List<HostRow> hosts, DriftReport drift) {
    Map<String, Long> thermal = new TreeMap<>();
    Map<String, Long> ollama = new TreeMap<>();
    for (HostRow h : hosts) {
      if (h.revoked()) {
        continue;
      }
      String t = h.headline() == null ? null : h.headline().thermal();
      thermal.merge(t != null && THERMAL.contains(t) ? t : "unknown", 1L, Long::sum);
      String o = h.ollamaState();
      ollama.merge(o != null && OLLAMA.contains(o) ? o : "unknown", 1L, Long::sum);
    }
    java.util.Set<String> drifted = new java.util.TreeSet<>();
    drift.getDigestsList().forEach(d -> drifted.add(d.getModel()));
    drift.getDtypesList().forEach(d -> drifted.add(d.getModel()));
    return new FleetState(thermal, ollama, drifted.size());
  }
}
