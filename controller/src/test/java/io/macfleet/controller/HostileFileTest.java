package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are data, not commands: an imported file obeys the name and label rules, never changes how the controller
 * reaches an enrolled host (ssh.*, ollama.*) or its role, and says in the audit log what it changed; what it
 * carries comes out of `runs --csv` as text a spreadsheet will not run. Against a real controller.
 */
class HostileFileTest {
  private static final String RUN =
      "{\"kind\":\"run\",\"run\":\"%s\",\"host\":\"%s\",\"started_at\":"
          + "\"2026-11-01T00:00:00Z\",\"ended_at\":\"2026-11-01T00:04:00Z\",\"model\":\"%s\",\"ollama_version\":\"0.19.0\","
          + "\"os_build\":\"24E263\",\"backend\":\"mlx\",\"digest\":\"" + "a".repeat(64)
          + "\",\"prompt_set\":\"coding\","
          + "\"purpose\":\"scheduled\",\"baseline\":false}";
  private static final String SAMPLE =
      "{\"kind\":\"sample\",\"run\":\"%s\",\"at\":\"2026-11-01T00:00:00Z\","
          + "\"concurrency\":1,\"cold\":false,\"ttft_ms\":859.2,\"prefill_tps\":null,\"decode_tps\":40.0,\"load_ms\":null,"
          + "\"error\":null}";

  @TempDir
  Path tmp;

  @Test
  void anImportedFileCannotRetargetAnEnrolledHostAndSaysWhatItChanged() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      assertThat(c.cli("hosts", "label", "mac-a", "ollama.bin=/opt/homebrew/bin/ollama")
              .code())
          .isZero();
      Path file = write(
          "hosts.ndjson",
          "{\"kind\":\"host\",\"host\":\"mac-a\",\"role\":\"control\",\"labels\":{\"ollama.bin\":\"/bin/sh\","
              + "\"ssh.user\":\"root\",\"team\":\"ml\"}}",
          "{\"kind\":\"host\",\"host\":\"lab-1\",\"role\":\"fleet\",\"labels\":{\"ssh.user\":\"admin\"}}");
      var r = c.cli("import", file.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out())
          .contains(
              "mac-a: kept ollama.bin=/opt/homebrew/bin/ollama (the file said /bin/sh",
              "mac-a: kept role unset (the file said control",
              "mac-a: kept ssh.user unset",
              "mac-a: set team=ml",
              "lab-1: set ssh.user=admin");

      JsonNode a = new ObjectMapper().readTree(c.cli("host", "mac-a", "--json").out());
      String labels = a.toString();
      assertThat(labels)
          .contains("/opt/homebrew/bin/ollama")
          .doesNotContain("/bin/sh")
          .doesNotContain("root")
          .contains("\"team\"");
      assertThat(c.cli("hosts", "--json").out()).contains("lab-1");
      JsonNode audit =
          new ObjectMapper().readTree(c.cli("audit", "--json").out()).get(0);
      assertThat(audit.path("action").asText()).isEqualTo("import");
      assertThat(audit.path("detail").asText())
          .contains("kept ollama.bin", "set team=ml", "lab-1: set ssh.user");
    }
  }

  @Test
  void aFileBreakingTheNameRulesChangesNothing() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      for (String[] bad : new String[][] {
        {
          "{\"kind\":\"host\",\"host\":\"mac-b;rm -rf ~\",\"role\":\"fleet\",\"labels\":{}}",
          "invalid host name"
        },
        {
          "{\"kind\":\"host\",\"host\":\"mac-b\",\"role\":\"fleet\",\"labels\":{\"Team Name\":\"x\"}}",
          "invalid label key"
        },
        {
          String.format(RUN, "r-1", "mac-b", "qwen3:8b\\u001b[2K\\u001b[1A"),
          "contains a control character"
        }
      }) {
        Path file = write(
            "bad.ndjson",
            "{\"kind\":\"host\",\"host\":\"mac-ok\",\"role\":\"fleet\",\"labels\":{}}",
            bad[0]);
        var r = c.cli("import", file.toString());
        assertThat(r.code()).as(bad[0]).isEqualTo(2);
        assertThat(r.err()).contains(bad[1]).doesNotContain("\u001b");
        assertThat(c.cli("hosts", "--json").out()).as("nothing imported").doesNotContain("mac-ok");
      }
    }
  }

  @Test
  void csvCellsAreQuotedAndNeverRunAsFormulas() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      String formulaRun = "-2+3+cmd|' /C calc'!A0";
      Path file = write(
          "runs.ndjson",
          "{\"kind\":\"host\",\"host\":\"mac-c\",\"role\":\"fleet\",\"labels\":{}}",
          String.format(
              RUN, formulaRun, "mac-c", "=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")"),
          String.format(SAMPLE, formulaRun));
      assertThat(c.cli("import", file.toString()).code()).isZero();
      List<String> csv = c.cli("runs", "--csv").out().lines().toList();
      assertThat(csv.get(1))
          .startsWith("'-2+3+cmd|' /C calc'!A0,mac-c,\"'=HYPERLINK(\"\"http://evil.example\"\","
              + "\"\"click\"\")\",");
      List<String> report = c.cli(
              "report",
              "--model",
              "=HYPERLINK(\"http://evil.example\",\"click\")",
              "--since",
              "3650d",
              "--csv")
          .out()
          .lines()
          .toList();
      assertThat(report).hasSize(2);
      assertThat(report.get(1)).startsWith("mac-c,'-2+3+cmd|' /C calc'!A0,");
      assertThat(c.cli("runs", "--csv").out()).contains("\r\n");
    }
  }

  private Path write(String name, String... lines) throws java.io.IOException {
    Path f = tmp.resolve(name);
    Files.write(f, List.of(lines));
    return f;
  }
}
