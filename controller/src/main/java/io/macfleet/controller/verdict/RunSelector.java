package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The gate's sides: the same selector grammar as replays (host names, key=value labels with role among them,
 * gen=M4, all; comma-separated for any of several), plus run:ID[,ID] for exact runs.
 */
public record RunSelector(Predicate<Records.Host> hosts, Set<String> runIds, String text) {

  public static RunSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      throw new IllegalArgumentException("a selector is required: NAME, key=value, gen=M4, all, or run:ID");
    }
    if (selector.startsWith("run:")) {
      Set<String> ids = Arrays.stream(selector.substring(4).split(",")).map(String::strip)
          .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("run: needs at least one run id");
      }
      return new RunSelector(h -> false, ids, selector);
    }
    Predicate<Records.Host> any = h -> false;
    for (String raw : selector.split(",")) {
      String term = raw.strip();
      Predicate<Records.Host> p;
      if (term.equals("all")) {
        p = h -> true;
      } else if (term.startsWith("gen=")) {
        String gen = term.substring(4);
        p = h -> gen.equalsIgnoreCase(h.chipGeneration());
      } else if (term.startsWith("role=")) {
        String role = term.substring(5);
        p = h -> role.equals(h.role());
      } else if (term.contains("=")) {
        String k = term.substring(0, term.indexOf('='));
        String v = term.substring(term.indexOf('=') + 1);
        p = h -> v.equals(h.labels().get(k));
      } else if (term.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
        p = h -> h.host().equals(term);
      } else {
        throw new IllegalArgumentException("'" + term + "' is not a host name, key=value, gen=…, all or run:ID");
      }
      any = any.or(p);
    }
    return new RunSelector(any, Set.of(), selector);
  }

  public boolean byRun() {
    return !runIds.isEmpty();
  }

  public List<String> hostNames(Dataset d) {
    return d.hosts().values().stream().filter(hosts).map(Records.Host::host).sorted().toList();
  }
}
