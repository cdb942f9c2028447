package io.macfleet.controller.verdict;

import io.macfleet.controller.fleet.Selector;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gate's sides: the one selector grammar ({@link Selector}, run:ID[,ID] included) applied to a dataset's hosts,
 * whose role is a label like any other.
 */
public record RunSelector(Selector selector) {

  public static RunSelector parse(String text) {
    return new RunSelector(Selector.hostsOrRuns(text));
  }

  public boolean byRun() {
    return selector.byRun();
  }

  public Set<String> runIds() {
    return selector.runIds();
  }

  public String text() {
    return selector.text();
  }

  public List<String> hostNames(Dataset d) {
    return d.hosts().values().stream()
        .filter(h -> selector.matches(h.host(), h.chipGeneration(), labels(h)))
        .map(Records.Host::host)
        .sorted()
        .toList();
  }

  private static Map<String, String> labels(Records.Host h) {
    Map<String, String> all = new HashMap<>(h.labels());
    all.put("role", h.role());
    return all;
  }
}
