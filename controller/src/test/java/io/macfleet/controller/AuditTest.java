package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change is written to the audit log with who, what, the exit code and a digest of the output. */
class AuditTest {
  @TempDir
  Path tmp;

  @Test
  void changesAndFailedAttemptsAreAudited() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-a", "U1");
      assertThat(c.cli("hosts", "label", "mac-a", "role=control").code()).isZero();
      assertThat(c.cli(
                  "schedule",
                  "add",
                  "nightly",
                  "--cron",
                  "0 0 3 * * ?",
                  "--hosts",
                  "role=control",
                  "--model",
                  "m:1")
              .code())
          .isZero();
      assertThat(c.cli("schedule", "rm", "nightly").code()).isZero();
      assertThat(c.cli("hosts", "revoke", "no-such-host").code()).isEqualTo(5);
      assertThat(c.cli("replay", "mac-a", "--model", "m:1").code())
          .isEqualTo(7); // missed: never connected

      JsonNode entries = new ObjectMapper().readTree(c.cli("audit", "--json").out());
      assertThat(entries)
          .extracting(e -> e.path("action").asText())
          .containsExactly("replay", "hosts.revoke", "schedule.rm", "schedule.add", "hosts.label");
      JsonNode label = entries.get(4);
      assertThat(label.path("host").asText()).isEqualTo("mac-a");
      assertThat(label.path("detail").asText()).contains("role=control");
      assertThat(label.path("actor").asText())
          .startsWith("admin-token from /127.0.0.1:")
          .endsWith("(says " + System.getProperty("user.name") + ", unverified)");
      assertThat(label.path("exit_code").asInt(0)).isZero();
      assertThat(label.path("output_sha256").asText()).matches("[0-9a-f]{64}");
      assertThat(entries.get(1).path("exit_code").asInt()).isEqualTo(5);
      assertThat(c.cli("audit", "--host", "mac-a").out())
          .contains("hosts.label", "replay")
          .doesNotContain("schedule.add");
    }
  }

  @Test
  void theTerminalAndTheAuditLogTellTheSameExitCodeFromOneTable() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-a", "U1");
      String[] add = {
        "schedule", "add", "nightly", "--cron", "0 0 3 * * ?", "--hosts", "all", "--model", "m:1"
      };
      assertThat(c.cli(add).code()).isZero();
      TestController.CliResult again = c.cli(add);
      assertThat(again.code())
          .as(again.err())
          .isEqualTo(io.macfleet.controller.fleet.FleetException.Kind.CONFLICT.exitCode())
          .isEqualTo(6);
      assertThat(again.err()).contains("exists").doesNotContain("ALREADY_EXISTS");
      assertThat(c.cli("hosts", "label", "no-such-host", "a=b").code()).isEqualTo(5);
      JsonNode entries = new ObjectMapper().readTree(c.cli("audit", "--json").out());
      assertThat(entries)
          .extracting(e -> e.path("action").asText() + " " + e.path("exit_code").asInt())
          .containsExactly("hosts.label 5", "schedule.add 6", "schedule.add 0");
    }
  }

  @Test
  void noCodePathUpdatesTheAuditLogAndOnlyRetentionDeletesFromItByAge() throws Exception {
    List<Path> sources;
    try (Stream<Path> s = Files.walk(Path.of("src/main"))) {
      sources = s.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".sql"))
          .toList();
    }
    assertThat(sources).isNotEmpty();
    for (Path p : sources) {
      String text = Files.readString(p).replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
      assertThat(text)
          .as(p.toString())
          .doesNotContain(
              "UPDATE AUDIT ",
              "DELETE FROM AUDIT",
              "TRUNCATE TABLE AUDIT",
              "DROP TABLE AUDIT",
              "MERGE INTO AUDIT");
      if (p.endsWith("DatabaseCopy.java")) {
        // it empties only the tables a fresh target's migrations seeded, before copying into them
        assertThat(text).contains("SEEDED_TABLES = LIST.OF(\"ID_BLOCKS\")");
      } else if (!p.endsWith("Retention.java")) {
        assertThat(text)
            .as(p + " deletes rows of a table it names at run time")
            .doesNotContain("\"DELETE FROM \" +");
      }
    }
    // the retention purge names the audit table once, deleting by age (serve --retain-audit), and
    // audits that
    String retention =
        Files.readString(Path.of("src/main/java/io/macfleet/controller/store/Retention.java"));
    assertThat(retention.split("\"audit\"", -1)).hasSize(2);
    assertThat(retention)
        .contains("byTime(\"audit\", \"at\", now.minus(policy.audit()))")
        .contains("\"audit.purge\"");
  }
}
