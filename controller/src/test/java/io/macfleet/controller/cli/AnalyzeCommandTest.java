package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.TestController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `macfleet analyze`: offline, no controller, the same engine; bad files are refused by line number. */
class AnalyzeCommandTest {
  private static final Path THERMAL =
      Path.of("src/test/resources/scenarios/environment_thermal.ndjson");

  @Test
  void judgesAFileWithoutAController() throws Exception {
    var r = TestController.cliRaw("analyze", "--input", THERMAL.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (String l : lines) {
      JsonNode v = json.readTree(l);
      assertThat(v.path("kind").asText()).isEqualTo("verdict");
      assertThat(v.path("metrics").path("ttft_p95_ms").has("p_value")).isTrue();
      assertThat(v.path("explanation").asText()).isNotBlank();
    }
    assertThat(lines)
        .anyMatch(l -> l.contains("\"verdict\":\"environment\"")
            && l.contains("\"factors\":[\"thermal\"]")
            && l.contains("\"reproduced\":false"));
    var table = TestController.cliRaw("analyze", "--input", THERMAL.toString());
    assertThat(table.out())
        .contains("HOST", "VERDICT", "environment", "thermal", "(flat)", "heavy thermal pressure");
  }

  /** A drifted digest never hides a slowdown: its verdict keeps the metrics and says how the run fared. */
  @Test
  void aDigestDriftVerdictSaysWhetherTheRunWasSlowerAndWhatToDo() throws Exception {
    var r = TestController.cliRaw(
        "analyze", "--input", "src/test/resources/scenarios/digest_drift.ndjson", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    List<JsonNode> drift = new java.util.ArrayList<>();
    for (String l : r.out().lines().toList()) {
      JsonNode v = new ObjectMapper().readTree(l);
      if (v.path("verdict").asText().equals("digest_drift")) {
        drift.add(v);
      }
    }
    assertThat(drift).isNotEmpty();
    for (JsonNode v : drift) {
      assertThat(v.path("metrics").size()).isPositive();
      assertThat(v.path("explanation").asText())
          .containsAnyOf("the run was slower", "was not slower", "too few samples to tell");
      assertThat(v.path("next_step").asText()).isEqualTo("cache_surgery");
      assertThat(v.path("next_command").asText())
          .startsWith("macfleet rollback " + v.path("host").asText());
    }
  }

  @Test
  void aMalformedLineIsNamedAndNothingIsJudged(@TempDir Path tmp) throws Exception {
    List<String> good = Files.readAllLines(THERMAL).subList(0, 40);
    Path bad = tmp.resolve("bad.ndjson");
    Files.write(
        bad, concat(good, "{\"kind\":\"sample\",\"run\":\"r-1\",\"concurrency\":\"four\"}"));
    var r = TestController.cliRaw("analyze", "--input", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("line 41", "concurrency", "nothing was judged");
    assertThat(r.out()).isEmpty();

    Files.write(bad, concat(good, "{\"kind\":\"telemetry\",\"host\":\"h\",\"at\":\"yesterday\"}"));
    assertThat(TestController.cliRaw("analyze", "--input", bad.toString()).err())
        .contains("line 41", "RFC 3339");

    Files.write(bad, concat(good, "not json at all"));
    assertThat(TestController.cliRaw("analyze", "--input", bad.toString()).err())
        .contains("line 41", "not JSON");

    Files.write(bad, concat(good, "{\"kind\":\"gpu_counters\",\"host\":\"h\"}"));
    var unknown = TestController.cliRaw("analyze", "--input", bad.toString());
    assertThat(unknown.code()).isZero();
    assertThat(unknown.err()).contains("warning", "line 41", "unknown kind");

    assertThat(TestController.cliRaw(
                "analyze", "--input", tmp.resolve("nope.ndjson").toString())
            .err())
        .contains("no such file");
    assertThat(TestController.cliRaw("analyze", "--input", THERMAL.toString(), "--effect-pct", "0")
            .err())
        .contains("--effect-pct");
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.add(b);
    return out;
  }
}
