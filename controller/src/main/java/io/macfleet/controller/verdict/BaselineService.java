package io.macfleet.controller.verdict;

import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.Names;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.InterchangeRepository;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Baselines: per host × model × prompt set, the known-good runs under one triple. Pinning without run ids takes
 * the host's completed runs since a time that share the triple of its newest one — a baseline never mixes two
 * Ollama versions or two digests.
 */
public final class BaselineService {
  private final InterchangeRepository data;
  private final HostRepository hosts;

  public BaselineService(InterchangeRepository data, HostRepository hosts) {
    this.data = data;
    this.hosts = hosts;
  }

  /** A pinned run and the steady-state samples it brings. */
  public record Pinned(Records.Run run, int steadySamples) {}

  public List<Pinned> pin(String hostName, String model, List<String> runIds, Instant since) {
    HostRow h = host(hostName);
    requireModel(model);
    // named runs are taken whatever their age; --since only bounds the automatic choice
    Dataset d =
        data.dataset(model, (runIds.isEmpty() ? since : Instant.EPOCH).atOffset(ZoneOffset.UTC));
    List<Records.Run> mine = d.runs().values().stream()
        .filter(r -> r.host().equals(h.name()))
        .filter(r -> !RunPurpose.CONTROL_REPLAY.is(r.purpose()))
        .sorted(Comparator.comparing(Records.Run::startedAt))
        .toList();
    List<Records.Run> chosen = new ArrayList<>();
    if (!runIds.isEmpty()) {
      for (String id : runIds) {
        Records.Run r = d.runs().get(id);
        if (r == null || !r.host().equals(h.name())) {
          throw new FleetException(
              FleetException.Kind.NOT_FOUND,
              "no completed run " + Names.printable(id) + " of " + model + " on " + h.name());
        }
        chosen.add(r);
      }
    } else {
      if (mine.isEmpty()) {
        throw new FleetException(
            FleetException.Kind.NOT_FOUND,
            "no completed run of " + model + " on " + h.name() + " since " + since
                + "; run `macfleet replay " + h.name() + " --model " + model + "` first");
      }
      Records.Run newest = mine.get(mine.size() - 1);
      chosen = mine.stream().filter(r -> VerdictEngine.sameTriple(r, newest)).toList();
    }
    data.clearBaseline(h.id(), model);
    data.setBaseline(chosen.stream().map(Records.Run::run).toList(), true);
    return show(hostName, model);
  }

  public List<Pinned> show(String hostName, String model) {
    String only = hostName == null || hostName.isBlank() ? null : host(hostName).name();
    Dataset d = data.dataset(
        model == null || model.isBlank() ? null : model, Instant.EPOCH.atOffset(ZoneOffset.UTC));
    return d.runs().values().stream()
        .filter(Records.Run::baseline)
        .filter(r -> only == null || r.host().equals(only))
        .sorted(Comparator.comparing(Records.Run::host)
            .thenComparing(Records.Run::model)
            .thenComparing(Records.Run::startedAt))
        .map(r -> new Pinned(r, steadySamples(d, r.run())))
        .toList();
  }

  public int clear(String hostName, String model) {
    requireModel(model);
    return data.clearBaseline(host(hostName).id(), model);
  }

  /** Steady-state samples of a run at all levels (what the baseline contributes). */
  private static int steadySamples(Dataset d, String runId) {
    var s = d.samples(runId);
    int n = 0;
    for (int level : s.levels()) {
      n += s.count(level, false);
    }
    return n;
  }

  private HostRow host(String name) {
    if (name == null || name.isBlank()) {
      throw new FleetException(FleetException.Kind.INVALID, "a host name is required");
    }
    return hosts
        .findByName(name, false)
        .orElseThrow(() -> new FleetException(
            FleetException.Kind.NOT_FOUND,
            "no host named '" + Names.printable(name) + "'; see `macfleet hosts`"));
  }

  private static void requireModel(String model) {
    if (model == null || model.isBlank()) {
      throw new FleetException(FleetException.Kind.INVALID, "--model is required");
    }
  }
}
