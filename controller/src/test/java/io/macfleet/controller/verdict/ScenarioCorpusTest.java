package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.InterchangeReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The labelled scenario corpus (src/test/resources/scenarios, written by src/test/scenarios/generate.py): every
 * verdict and every factor, five independent fleets each. Precision and recall are computed per verdict over
 * every labelled candidate level, and noise must never come out as a software regression.
 */
class ScenarioCorpusTest {
  private static final Path CORPUS = Path.of("src/test/resources/scenarios");
  private static final ObjectMapper JSON = new ObjectMapper();

  record Label(
      String file,
      String run,
      int level,
      Verdict.Kind kind,
      List<String> factors,
      String symptom,
      String scope) {}

  @Test
  void everyVerdictIsFoundWithHighPrecisionAndRecall() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(20);
    Map<Verdict.Kind, int[]> tally =
        new EnumMap<>(Verdict.Kind.class); // [true positive, false positive, false negative]
    for (Verdict.Kind k : Verdict.Kind.values()) {
      tally.put(k, new int[3]);
    }
    List<String> misses = new ArrayList<>();
    java.util.Set<String> symptoms = new java.util.TreeSet<>();
    java.util.Set<String> scopes = new java.util.TreeSet<>();
    int labelled = 0;
    for (Path f : files) {
      Dataset d = new Dataset();
      List<Label> labels = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        InterchangeReader.read(in, d::add);
      }
      for (String line : Files.readAllLines(f)) {
        if (line.contains("\"expect\"")) {
          JsonNode n = JSON.readTree(line);
          n.path("expect").fields().forEachRemaining(e -> {
            List<String> factors = new ArrayList<>();
            n.path("expect_factors").path(e.getKey()).forEach(x -> factors.add(x.asText()));
            labels.add(new Label(
                f.getFileName().toString(),
                n.path("run").asText(),
                Integer.parseInt(e.getKey()),
                Verdict.Kind.fromWire(e.getValue().asText()),
                factors,
                n.path("expect_symptom").path(e.getKey()).asText(null),
                n.path("expect_scope").path(e.getKey()).asText(null)));
          });
        }
      }
      Map<String, Verdict> got = new HashMap<>();
      for (Verdict v : new VerdictEngine(Thresholds.defaults()).judgeLatest(d)) {
        got.put(v.run() + "@" + v.concurrency(), v);
      }
      for (Label l : labels) {
        labelled++;
        Verdict v = got.get(l.run() + "@" + l.level());
        Verdict.Kind actual = v == null ? null : v.verdict();
        if (actual == l.kind()) {
          tally.get(l.kind())[0]++;
          if (!l.factors().isEmpty() && !v.factors().equals(l.factors())) {
            misses.add(l + " got factors " + v.factors());
          }
          if (l.symptom() != null) {
            symptoms.add(l.symptom());
            scopes.add(l.scope());
            String shown = v.failure() == null
                ? "none"
                : v.failure().symptom().wire() + "/" + v.failure().scope().wire();
            if (!shown.equals(l.symptom() + "/" + l.scope())) {
              misses.add(l + " got symptom/scope " + shown + ": " + v.explanation());
            }
          }
        } else {
          tally.get(l.kind())[2]++;
          if (actual != null) {
            tally.get(actual)[1]++;
          }
          misses.add(l + " got " + (v == null ? "nothing" : actual + ": " + v.explanation()));
        }
        if (l.file().startsWith("noise")) {
          assertThat(actual)
              .as("noise judged as a software regression: " + l)
              .isNotEqualTo(Verdict.Kind.SOFTWARE_REGRESSION);
        }
      }
    }
    StringBuilder report =
        new StringBuilder("verdict               precision  recall  (tp/fp/fn)\n");
    for (var e : tally.entrySet()) {
      int[] c = e.getValue();
      report.append(String.format(
          "%-21s %9.2f %7.2f  (%d/%d/%d)%n",
          e.getKey().wire(), precision(c), recall(c), c[0], c[1], c[2]));
    }
    System.out.println(report);
    assertThat(labelled).isGreaterThanOrEqualTo(100);
    for (var e : tally.entrySet()) {
      int[] c = e.getValue();
      assertThat(c[0] + c[2]).as("no scenario labels " + e.getKey().wire()).isPositive();
      assertThat(precision(c))
          .as(e.getKey().wire() + " precision; misses: " + misses)
          .isGreaterThanOrEqualTo(0.9);
      assertThat(recall(c))
          .as(e.getKey().wire() + " recall; misses: " + misses)
          .isGreaterThanOrEqualTo(0.9);
    }
    assertThat(misses).as("factor mismatches").noneMatch(m -> m.contains("got factors"));
    assertThat(misses).as("symptom or scope mismatches").noneMatch(m -> m.contains("got symptom"));
    // every symptom and every scope of a failure is labelled somewhere in the corpus
    assertThat(symptoms)
        .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(Verdict.Symptom.values())
            .map(Verdict.Symptom::wire)
            .toList());
    assertThat(scopes)
        .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(Verdict.Scope.values())
            .map(Verdict.Scope::wire)
            .toList());
  }

  private static double precision(int[] c) {
    return c[0] + c[1] == 0 ? 1.0 : c[0] / (double) (c[0] + c[1]);
  }

  private static double recall(int[] c) {
    return c[0] + c[2] == 0 ? 1.0 : c[0] / (double) (c[0] + c[2]);
  }
}
