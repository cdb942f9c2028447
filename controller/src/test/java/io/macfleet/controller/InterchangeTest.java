package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export, import, baseline and gate against a real controller (TLS gRPC, H2 file database): a file goes in
 * whole or not at all, comes back out with every run and sample, and judges the same offline and online.
 */
class InterchangeTest {
  private static final Path THERMAL =
      Path.of("src/test/resources/scenarios/environment_thermal.ndjson");
  private static final Path SOFTWARE =
      Path.of("src/test/resources/scenarios/software_regression_ollama_version.ndjson");
  private static final String MODEL = "qwen3.5:35b-a3b-nvfp4";

  @TempDir
  Path tmp;

  private static long count(List<String> lines, String kind) {
    return lines.stream().filter(l -> l.contains("\"kind\":\"" + kind + "\"")).count();
  }

  @Test
  void importExportRoundTripsAndAMalformedFileChangesNothing() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      // a bad line at the end: the whole file is refused, nothing half-imported
      List<String> lines = new ArrayList<>(Files.readAllLines(THERMAL));
      Path bad = tmp.resolve("bad.ndjson");
      List<String> broken = new ArrayList<>(lines);
      broken.add(
          "{\"kind\":\"run\",\"run\":\"x\",\"host\":\"h\",\"model\":\"m\",\"started_at\":\"2026-13-99\"}");
      Files.write(bad, broken);
      var refused = c.cli("import", bad.toString());
      assertThat(refused.code()).isEqualTo(2);
      assertThat(refused.err())
          .contains("line " + broken.size(), "started_at", "nothing was imported");
      assertThat(c.cli("export", "--since", "3650d")
              .out()
              .lines()
              .filter(l -> l.contains("\"kind\":\"run\"")))
          .isEmpty();

      var ok = c.cli("import", THERMAL.toString());
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.out())
          .contains(
              "hosts 10 new",
              count(lines, "run") + " runs (0 already present",
              count(lines, "sample") + " samples",
              count(lines, "telemetry") + " telemetry");
      var again = c.cli("import", THERMAL.toString(), "--json");
      JsonNode a = new ObjectMapper().readTree(again.out());
      assertThat(a.path("runs").asInt(0)).isZero();
      assertThat(a.path("runs_skipped").asLong()).isEqualTo(count(lines, "run"));

      Path out = tmp.resolve("out.ndjson");
      assertThat(c.cli("export", "--since", "3650d", "-o", out.toString()).code())
          .isZero();
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(out)))
          .isEqualTo("rw-r--r--");
      var nowhere = c.cli("export", "-o", tmp.resolve("missing/out.ndjson").toString());
      assertThat(nowhere.code()).isEqualTo(io.macfleet.controller.cli.ExitCodes.USAGE);
      assertThat(nowhere.err()).contains("missing does not exist");
      List<String> exported = Files.readAllLines(out);
      assertThat(count(exported, "run")).isEqualTo(count(lines, "run"));
      assertThat(count(exported, "sample")).isEqualTo(count(lines, "sample"));
      assertThat(count(exported, "host")).isEqualTo(count(lines, "host"));
      assertThat(exported)
          .anyMatch(l -> l.contains("\"host\":\"ctl-102\"") && l.contains("\"role\":\"control\""));

      // the same verdicts offline from the original file and from what the controller exported
      var fromFile = TestController.cliRaw("analyze", "--input", THERMAL.toString(), "--json")
          .out();
      var fromExport =
          TestController.cliRaw("analyze", "--input", out.toString(), "--json").out();
      assertThat(verdictsOf(fromExport))
          .isEqualTo(verdictsOf(fromFile))
          .contains("mac-102 environment [thermal]");

      // imported runs show like probed ones
      assertThat(c.cli("report", "--model", MODEL, "--since", "3650d").out())
          .contains("mac-102", "1-way");
    }
  }

  @Test
  void baselinesPinAndGatesJudgeAgainstTheController() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      assertThat(c.cli("import", SOFTWARE.toString()).code()).isZero();
      var gate = c.cli(
          "gate",
          "--model",
          MODEL,
          "--baseline",
          "mac-108",
          "--candidate",
          "mac-108",
          "--since",
          "3650d");
      assertThat(gate.code()).as(gate.out() + gate.err()).isEqualTo(1);
      assertThat(gate.out())
          .contains("regression", "fail", "samples", "pass", "swap_90s_avg", "outcome: fail");
      var offline = TestController.cliRaw(
          "gate",
          "--model",
          MODEL,
          "--baseline",
          "mac-108",
          "--candidate",
          "mac-108",
          "--input",
          SOFTWARE.toString(),
          "--json");
      assertThat(new ObjectMapper().readTree(offline.out()).path("outcome").asText())
          .isEqualTo("fail");

      // pin the two oldest runs: the baseline then has 48 samples, and the gate uses them
      JsonNode runs = new ObjectMapper()
          .readTree(c.cli("runs", "--host", "mac-108", "--json").out());
      List<String> ids = new ArrayList<>();
      runs.forEach(r -> ids.add(r.path("id").asText()));
      List<String> oldest = ids.subList(ids.size() - 2, ids.size());
      var pin =
          c.cli("baseline", "pin", "mac-108", "--model", MODEL, "--run", String.join(",", oldest));
      assertThat(pin.code()).as(pin.err()).isZero();
      assertThat(pin.out()).contains("pinned 2 run(s)", oldest.get(0), "0.19.0");
      assertThat(c.cli("baseline", "show", "mac-108").out()).contains(oldest.get(1));
      var pinnedGate = c.cli(
          "gate",
          "--model",
          MODEL,
          "--baseline",
          "mac-108",
          "--candidate",
          "mac-108",
          "--since",
          "3650d",
          "--json");
      assertThat(new ObjectMapper().readTree(pinnedGate.out()).path("baseline_runs"))
          .hasSize(2);
      assertThat(c.cli("baseline", "clear", "mac-108", "--model", MODEL).out())
          .contains("unpinned 2 run(s)");
      assertThat(c.cli("baseline", "show", "mac-108").out()).contains("no pinned baseline runs");
      assertThat(c.cli("baseline", "pin", "nope", "--model", MODEL).code()).isEqualTo(5);
    }
  }

  private static List<String> verdictsOf(String ndjson) throws Exception {
    List<String> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String l : ndjson.lines().toList()) {
      JsonNode v = json.readTree(l);
      out.add(v.path("host").asText() + " " + v.path("verdict").asText() + " "
          + v.path("factors").toString().replace("\"", ""));
    }
    return out;
  }
}
