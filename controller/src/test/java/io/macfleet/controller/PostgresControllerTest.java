package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.store.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole controller on PostgreSQL (`serve --db`): enrolment, labels (the dialect's upsert), an import in one
 * transaction, export, verdicts offline from the export, baselines, schedules on Quartz's clustered store, the
 * audit log — and the schedule is still there after a restart.
 */
class PostgresControllerTest {
  private static final Path SOFTWARE =
      Path.of("src/test/resources/scenarios/software_regression_ollama_version.ndjson");

  @TempDir
  Path tmp;

  @Test
  void theControllerRunsOnPostgres() throws Exception {
    String url = TestPostgres.create();
    try {
      TestController c = new TestController(tmp.resolve("ctl"), Duration.ofMinutes(30), url);
      try {
        c.enroll(tmp.resolve("a"), "mac-pg", "U1");
        assertThat(c.cli("hosts", "label", "mac-pg", "role=control").code()).isZero();
        assertThat(c.cli("hosts", "label", "mac-pg", "role=fleet", "rack=a").code())
            .isZero();
        assertThat(c.cli("hosts", "--wide").out()).contains("mac-pg", "rack=a", "role=fleet");

        var imported = c.cli("import", SOFTWARE.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        Path out = tmp.resolve("out.ndjson");
        assertThat(c.cli("export", "--since", "3650d", "-o", out.toString()).code())
            .isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.stream().filter(l -> l.contains("\"kind\":\"sample\"")).count())
            .isEqualTo(Files.readAllLines(SOFTWARE).stream()
                .filter(l -> l.contains("\"kind\":\"sample\""))
                .count());
        assertThat(TestController.cliRaw("analyze", "--input", out.toString()).out())
            .contains("software_regression");
        assertThat(c.cli(
                    "baseline",
                    "pin",
                    "mac-108",
                    "--model",
                    "qwen3.5:35b-a3b-nvfp4",
                    "--since",
                    "3650d")
                .code())
            .isZero();
        assertThat(c.cli(
                    "schedule",
                    "add",
                    "nightly",
                    "--cron",
                    "0 0 3 * * ?",
                    "--hosts",
                    "all",
                    "--model",
                    "m:1")
                .code())
            .isZero();
        JsonNode audit = new ObjectMapper().readTree(c.cli("audit", "--json").out());
        assertThat(audit)
            .extracting(e -> e.path("action").asText())
            .contains("schedule.add", "baseline.pin", "import", "hosts.label");

        c.stop();
        c.restarted(0);
        assertThat(c.cli("schedule", "list").out()).contains("nightly", "0 0 3 * * ?");
        assertThat(c.cli("baseline", "show", "mac-108").out())
            .contains("r-108-7", "0.20.0"); // the newest triple
      } finally {
        c.close();
      }
    } finally {
      TestPostgres.drop(url);
    }
  }
}
