package io.macfleet.controller.interchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a verdict needs, indexed: hosts, their states, telemetry and events in time order, runs, and each
 * run's samples as columns. Records may arrive in any order; {@link #index()} sorts once they are all in.
 */
public final class Dataset {
  private final Map<String, Records.Host> hosts = new LinkedHashMap<>();
  private final Map<String, List<Records.State>> states = new HashMap<>();
  private final Map<String, List<Records.Telemetry>> telemetry = new HashMap<>();
  private final Map<String, List<Records.Event>> events = new HashMap<>();
  private final Map<String, Records.Run> runs = new LinkedHashMap<>();
  private final Map<String, SampleColumns> samples = new HashMap<>();
  private final Map<String, List<Records.Clients>> clients = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean indexed;

  public void add(Records.Record r) {
    indexed = false;
    if (r instanceof Records.Host h) {
      hosts.put(h.host(), h);
    } else if (r instanceof Records.State s) {
      states.computeIfAbsent(s.host(), k -> new ArrayList<>()).add(s);
    } else if (r instanceof Records.Telemetry x) {
      telemetry.computeIfAbsent(x.host(), k -> new ArrayList<>()).add(x);
    } else if (r instanceof Records.Event e) {
      events.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    } else if (r instanceof Records.Run run) {
      if (runs.put(run.run(), run) != null) {
        warnings.add("run " + run.run() + " appears more than once; the last one is kept");
      }
    } else if (r instanceof Records.Clients c) {
      clients.computeIfAbsent(c.host(), k -> new ArrayList<>()).add(c);
    } else if (r instanceof Records.Sample s) {
      addSample(
          s.run(), s.concurrency(), s.cold(), s.error(), s.ttftMs(), s.prefillTps(), s.decodeTps());
    }
  }

  /** The columnar path for bulk loaders (benchmarks, the controller's store) that skip the record objects. */
  public void addSample(
      String run,
      int concurrency,
      boolean cold,
      String error,
      Double ttftMs,
      Double prefillTps,
      Double decodeTps) {
    samples
        .computeIfAbsent(run, k -> new SampleColumns())
        .add(concurrency, cold, error, ttftMs, prefillTps, decodeTps);
  }

  /** Sorts by time, gives undeclared hosts the default role, and notes samples of runs the data lacks. */
  public Dataset index() {
    if (indexed) {
      return this;
    }
    Comparator<Instant> t = Comparator.naturalOrder();
    states.values().forEach(l -> l.sort(Comparator.comparing(Records.State::at, t)));
    telemetry.values().forEach(l -> l.sort(Comparator.comparing(Records.Telemetry::at, t)));
    events.values().forEach(l -> l.sort(Comparator.comparing(Records.Event::at, t)));
    clients.values().forEach(l -> l.sort(Comparator.comparing(Records.Clients::at, t)));
    for (Records.Run r : runs.values()) {
      hosts.computeIfAbsent(
          r.host(), h -> new Records.Host(h, null, null, null, "fleet", Map.of()));
    }
    long orphans = samples.keySet().stream().filter(id -> !runs.containsKey(id)).count();
    if (orphans > 0) {
      warnings.add(
          orphans + " run id(s) have samples but no run record; their samples are not judged");
    }
    indexed = true;
    return this;
  }

  public Map<String, Records.Host> hosts() {
    return hosts;
  }

  public Map<String, Records.Run> runs() {
    return runs;
  }

  public SampleColumns samples(String runId) {
    return samples.getOrDefault(runId, EMPTY);
  }

  public List<Records.Telemetry> telemetry(String host) {
    return telemetry.getOrDefault(host, List.of());
  }

  public List<Records.Event> events(String host) {
    return events.getOrDefault(host, List.of());
  }

  /** Gate C's observations of the host's callers, oldest first. */
  public List<Records.Clients> clients(String host) {
    return clients.getOrDefault(host, List.of());
  }

  public List<Records.State> states(String host) {
    return states.getOrDefault(host, List.of());
  }

  public List<String> warnings() {
    return warnings;
  }

  private static final SampleColumns EMPTY = new SampleColumns();
}
