package io.macfleet.controller.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one host-selector grammar, for replays, schedules and the gate: comma-separated terms, any of which may
 * match — {@code all}, a chip generation ({@code gen=M4}), a label ({@code role=control}, {@code team=ml}), or a
 * host name; or, where runs are chosen (the gate), {@code run:ID[,ID…]} for exact runs. Names and labels obey
 * the same rules as everywhere else ({@link Names}). A pure parse: what it selects from is the caller's.
 */
public record Selector(List<Term> terms, Set<String> runIds, String text) {
  /** One term of a selector. */
  public sealed interface Term permits All, Generation, Label, Name {}

  public record All() implements Term {}

  public record Generation(String generation) implements Term {}

  public record Label(String key, String value) implements Term {}

  public record Name(String name) implements Term {}

  private static final String GRAMMAR =
      "NAME, key=value, gen=M4 or all (comma-separated for any of several)";

  /** A selector of hosts; {@code run:} is refused. */
  public static Selector hosts(String text) {
    return parse(text, false);
  }

  /** A selector of hosts, or of runs by id ({@code run:ID,…}). */
  public static Selector hostsOrRuns(String text) {
    return parse(text, true);
  }

  private static Selector parse(String text, boolean runs) {
    if (text == null || text.isBlank()) {
      throw invalid("a selector is required: " + GRAMMAR + (runs ? ", or run:ID" : ""));
    }
    if (text.startsWith("run:")) {
      if (!runs) {
        throw invalid("run:ID selects runs, not hosts; use " + GRAMMAR);
      }
      Set<String> ids = Arrays.stream(text.substring(4).split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .collect(Collectors.toSet());
      if (ids.isEmpty()) {
        throw invalid("run: needs at least one run id");
      }
      return new Selector(List.of(), ids, text);
    }
    List<Term> terms = new ArrayList<>();
    for (String raw : text.split(",")) {
      String term = raw.strip();
      if (term.equals("all")) {
        terms.add(new All());
      } else if (term.startsWith("gen=")) {
        terms.add(new Generation(term.substring(4)));
      } else if (term.contains("=")) {
        String k = term.substring(0, term.indexOf('='));
        String v = term.substring(term.indexOf('=') + 1);
        Names.label(k, v);
        terms.add(new Label(k, v));
      } else {
        terms.add(new Name(Names.host(term)));
      }
    }
    return new Selector(List.copyOf(terms), Set.of(), text);
  }

  private static FleetException invalid(String why) {
    return new FleetException(FleetException.Kind.INVALID, why);
  }

  public boolean byRun() {
    return !runIds.isEmpty();
  }

  /** Whether a host with this name, chip generation and labels (its role among them) is selected. */
  public boolean matches(String name, String chipGeneration, Map<String, String> labels) {
    for (Term t : terms) {
      boolean hit = t instanceof All
          || t instanceof Generation g
              && g.generation().equalsIgnoreCase(chipGeneration == null ? "" : chipGeneration)
          || t instanceof Label l && l.value().equals(labels.get(l.key()))
          || t instanceof Name n && n.name().equals(name);
      if (hit) {
        return true;
      }
    }
    return false;
  }

  /** The host name when the selector is exactly one name (a caller can read that host alone). */
  public Optional<String> singleName() {
    return terms.size() == 1 && terms.get(0) instanceof Name n
        ? Optional.of(n.name())
        : Optional.empty();
  }
}
