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
      assertThat(c.cli("schedule", "add", "nightly", "--cron", "0 0 3 * * ?", "--hosts", "role=control", "--model",
          "m:1").code()).isZero();
      assertThat(c.cli("schedule", "rm", "nightly").code()).isZero();
      assertThat(c.cli("hosts", "revoke", "no-such-host").code()).isEqualTo(5);
      assertThat(c.cli("replay", "mac-a", "--model", "m:1").code()).isZero(); // missed: never connected

      JsonNode entries = new ObjectMapper().readTree(c.cli("audit", "--json").out()).path("entries");
      assertThat(entries).extracting(e -> e.path("action").asText())
          .containsExactly("replay", "hosts.revoke", "schedule.rm", "schedule.add", "hosts.label");
      JsonNode label = entries.get(4);
      assertThat(label.path("host").asText()).isEqualTo("mac-a");
      assertThat(label.path("detail").asText()).contains("role=control");
      assertThat(label.path("actor").asText()).startsWith(System.getProperty("user.name")).contains("from ");
      assertThat(label.path("exit_code").asInt(0)).isZero();
      assertThat(label.path("output_sha256").asText()).matches("[0-9a-f]{64}");
      assertThat(entries.get(1).path("exit_code").asInt()).isEqualTo(5);
      assertThat(c.cli("audit", "--host", "mac-a").out()).contains("hosts.label", "replay").doesNotContain(
          "schedule.add");
    }
  }

  @Test
  void noCodePathUpdatesOrDeletesTheAuditLog() throws Exception {
    List<Path> sources;
    try (Stream<Path> s = Files.walk(Path.of("src/main"))) {
      sources = s.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".sql")).toList();
    }
    assertThat(sources).isNotEmpty();
    for (Path p : sources) {
      String text = Files.readString(p).replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
      assertThat(text).as(p.toString()).doesNotContain("UPDATE AUDIT ", "DELETE FROM AUDIT", "TRUNCATE TABLE AUDIT",
          "DROP TABLE AUDIT", "MERGE INTO AUDIT");
    }
  }
}
