package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which hosts a replay or schedule targets: comma-separated terms, any of which may match — a host name,
 * a label (`role=control`), a chip generation (`gen=M4`), or `all`. Revoked hosts never match.
 */
public final class HostSelector {
  private HostSelector() {}

  public static List<HostRow> select(String selector, List<HostRow> hosts) {
    Predicate<HostRow> p = parse(selector);
    List<HostRow> out = new ArrayList<>();
    for (HostRow h : hosts) {
      if (!h.revoked() && p.test(h)) {
        out.add(h);
      }
    }
    return out;
  }

  public static Predicate<HostRow> parse(String selector) {
    if (selector == null || selector.isBlank()) {
      throw new FleetException(FleetException.Kind.INVALID, "a host selector is required: NAME, key=value, "
          + "gen=M4 or all (comma-separated for any of several)");
    }
    Predicate<HostRow> any = h -> false;
    for (String raw : selector.split(",")) {
      String term = raw.strip();
      Predicate<HostRow> p;
      if (term.equals("all")) {
        p = h -> true;
      } else if (term.startsWith("gen=")) {
        String gen = term.substring(4);
        p = h -> h.chipGeneration().equalsIgnoreCase(gen);
      } else if (term.contains("=")) {
        String k = term.substring(0, term.indexOf('='));
        String v = term.substring(term.indexOf('=') + 1);
        Names.label(k, v);
        p = h -> v.equals(h.labels().get(k));
      } else {
        String name = Names.host(term);
        p = h -> h.name().equals(name);
      }
      any = any.or(p);
    }
    return any;
  }
}
