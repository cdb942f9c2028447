package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The controller's packages depend on each other in one direction only: read from the sources, every reference to
 * another package's class (an import or a qualified name) is an edge, and no path leads back to where it started.
 * The root package is the composition root and may use every other; nothing uses it but the CLI that starts it.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("src/main/java/io/macfleet/controller");
  private static final Pattern REFERENCE =
      Pattern.compile("io\\.macfleet\\.controller\\.(?:([a-z]+)\\.)?[A-Z]");

  @Test
  void noPackageCycles() throws Exception {
    Map<String, Set<String>> edges = new TreeMap<>();
    List<Path> sources;
    try (Stream<Path> s = Files.walk(ROOT)) {
      sources = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).hasSizeGreaterThan(50);
    for (Path p : sources) {
      String from = ROOT.relativize(p.getParent()).toString().replace('/', '.');
      Matcher m = REFERENCE.matcher(Files.readString(p));
      while (m.find()) {
        String to = m.group(1) == null ? "" : m.group(1);
        if (!to.equals(from)) {
          edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
        }
      }
    }
    List<String> cycles = new ArrayList<>();
    for (String start : edges.keySet()) {
      findCycle(start, start, edges, new ArrayList<>(List.of(start)), cycles);
    }
    assertThat(cycles).as("package cycles (root is \"\"); edges: " + edges).isEmpty();
  }

  private static void findCycle(
      String start,
      String at,
      Map<String, Set<String>> edges,
      List<String> path,
      List<String> cycles) {
    for (String next : edges.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", path) + " -> " + start);
      } else if (!path.contains(next)
          && next.compareTo(start) > 0) { // each cycle once, from its smallest package
        path.add(next);
        findCycle(start, next, edges, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }
}
