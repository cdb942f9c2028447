package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.store.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `macfleet migrate`: a controller's H2 database — hosts, labels, imported runs and samples, verdict inputs,
 * schedules in Quartz's tables, the audit log — copied into PostgreSQL with every table's count and digest
 * matching, and a controller started on the copy sees it all.
 */
class MigrateTest {
  @TempDir
  Path tmp;

  @Test
  void anH2FleetMovesToPostgresWithNothingLost() throws Exception {
    String url = TestPostgres.create();
    try {
      Path data = tmp.resolve("ctl");
      try (TestController h2 = new TestController(data)) {
        var a = h2.enroll(tmp.resolve("a"), "mac-a", "U1");
        var stub = h2.agentStub(a.nodeKey());
        for (long seq = 1; seq <= 3; seq++) {
          stub.report(TestController.report(
              a.enrollment().hostId, seq, TestController.snapshot("mac-a", "0.19.0", "M4")));
        }
        h2.cli("hosts", "label", "mac-a", "role=control");
        assertThat(h2.cli("import", "src/test/resources/scenarios/environment_thermal.ndjson")
                .code())
            .isZero();
        assertThat(h2.cli(
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
      }
      Path pw = tmp.resolve("pw");
      Files.writeString(pw, TestPostgres.password());
      String pgUrl = "postgresql://" + url.substring("jdbc:postgresql://".length());
      var m = TestController.cliRaw(
          "migrate",
          "--data-dir",
          data.toString(),
          "--to",
          pgUrl,
          "--db-user",
          TestPostgres.user(),
          "--db-password-file",
          pw.toString());
      assertThat(m.code()).as(m.out() + m.err()).isZero();
      assertThat(m.out())
          .contains("every table matches", "samples", "qrtz_triggers", "audit", "id_blocks")
          .doesNotContain("NO (");
      // a second run refuses: the target is no longer empty
      var again = TestController.cliRaw(
          "migrate",
          "--data-dir",
          data.toString(),
          "--to",
          pgUrl,
          "--db-user",
          TestPostgres.user(),
          "--db-password-file",
          pw.toString());
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("not empty");

      try (TestController pg =
          new TestController(tmp.resolve("ctl-pg"), Duration.ofMinutes(30), url)) {
        assertThat(pg.cli("hosts", "--wide").out()).contains("mac-a", "role=control", "mac-102");
        assertThat(pg.cli("schedule", "list").out()).contains("nightly");
        assertThat(pg.cli("runs", "--host", "mac-102").out()).contains("r-102-7");
        assertThat(pg.cli("audit").out()).contains("schedule.add", "import");
        // identities continue after the copied rows
        assertThat(pg.cli("hosts", "label", "mac-a", "rack=b").code()).isZero();
        assertThat(pg.cli("audit").out()).contains("hosts.label");
        // and so do report ids: the agent's next report lands after the copied ones (no key
        // collision)
        var a = new io.macfleet.agent.link.AgentState(tmp.resolve("a"));
        var ack = pg.agentStub(a.nodeKey())
            .report(TestController.report(
                a.enrollment().hostId, 4, TestController.snapshot("mac-a", "0.20.0", "M4")));
        assertThat(ack.getOutcome()).isEqualTo(io.macfleet.proto.v1.ReportAck.Outcome.STORED);
        assertThat(pg.server().reports().sequences(a.enrollment().hostId))
            .containsExactly(1L, 2L, 3L, 4L);
        assertThat(pg.cli("host", "mac-a").out()).contains("0.20.0");
      }
    } finally {
      TestPostgres.drop(url);
    }
  }
}
