package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.macfleet.agent.link.AgentState;
import io.macfleet.controller.store.Database;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.ReportRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents whose clocks are wrong, against a real controller. */
class ClockTest {
  @TempDir
  Path tmp;

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder()
        .setSeconds(t.getEpochSecond())
        .setNanos(t.getNano())
        .build();
  }

  @Test
  void aClockDaysAheadIsFlaggedAndItsReportsArePlacedByTheControllersClock() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-ahead", "UUID-AHEAD");
      String host = a.enrollment().hostId;
      var stub = c.agentStub(a.nodeKey());
      Instant ahead = Instant.now().plus(Duration.ofDays(3));
      HostSnapshot snap = TestController.snapshot(
              "mac-ahead",
              "0.32.15",
              "M4",
              ModelInfo.newBuilder().setName("qwen:1").setDigest("e".repeat(64)).build())
          .toBuilder()
          .setCollectedAt(ts(ahead))
          .build();
      stub.report(ReportRequest.newBuilder()
          .setHostId(host)
          .setSeq(1)
          .setSnapshot(snap)
          .setSentAt(ts(ahead))
          .build());

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.cli("hosts").out().contains("clock 3d 0h ahead"));
      assertThat(c.cli("hosts", "--json").out()).contains("\"clock_skew_ms\"");
      assertThat(c.cli("events", "mac-ahead", "--since", "7d").out()).contains("clock_skew");
      // stored by the controller's clock, not three days in the future
      OffsetDateTime stored = collectedAt(c.dataDir, host, 1);
      assertThat(Duration.between(stored.toInstant(), Instant.now()).abs())
          .isLessThan(Duration.ofMinutes(1));
      int ops = c.server().ops().orElseThrow().port();
      assertThat(metrics(ops)).contains("macfleet_hosts_clock_skewed 1.0");

      // the clock is put right: the flag goes, and says so
      Instant now = Instant.now();
      stub.report(ReportRequest.newBuilder()
          .setHostId(host)
          .setSeq(2)
          .setSnapshot(snap.toBuilder().setCollectedAt(ts(now)))
          .setSentAt(ts(now))
          .build());
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.cli("hosts").out().contains("clock "));
      assertThat(c.cli("events", "mac-ahead", "--since", "7d").out()).contains("clock_ok");
      assertThat(metrics(ops)).contains("macfleet_hosts_clock_skewed 0.0");
    }
  }

  /**
   * An agent 400 days behind cannot verify the controller's certificate; it says that its clock is the likely
   * cause instead of "io exception". Runs the real agent under libfaketime (Debian's faketime, which .ci/run
   * installs).
   */
  @Test
  void anAgentFarBehindNamesItsClockAsTheCauseOfTheTlsFailure() throws Exception {
    boolean faketime = Files.isExecutable(Path.of("/usr/bin/faketime"));
    if (!faketime && System.getenv("CI") != null) {
      throw new AssertionError(
          "CI must have /usr/bin/faketime (.ci/run installs Debian's faketime)");
    }
    Assumptions.assumeTrue(faketime, "no faketime here: skipped");
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-behind", "UUID-BEHIND");
      Path log = tmp.resolve("agent.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of(
          "/usr/bin/faketime",
          "-f",
          "-400d",
          java,
          "-cp",
          System.getProperty("java.class.path"),
          "io.macfleet.agent.cli.AgentMain",
          "run",
          "--state-dir",
          a.dir().toString(),
          "--ollama",
          "http://127.0.0.1:9",
          "--interval",
          "2s"));
      Process agent = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .alias("the agent's log")
            .until(
                () -> Files.readString(log), l -> l.contains("not valid at this machine's clock"));
        assertThat(Files.readString(log))
            .contains("is the clock wrong?")
            .doesNotContain("io exception");
      } finally {
        // faketime runs the JVM as its child: end that too, or it outlives the test
        agent.descendants().forEach(ProcessHandle::destroyForcibly);
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static OffsetDateTime collectedAt(Path dataDir, String host, long seq) throws Exception {
    try (Database db = Database.open(Database.h2Url(dataDir), "", "", 1);
        Connection conn = db.dataSource().getConnection();
        PreparedStatement ps = conn.prepareStatement(
            "SELECT collected_at FROM reports WHERE host_id = ? AND seq = ?")) {
      ps.setString(1, host);
      ps.setLong(2, seq);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getObject(1, OffsetDateTime.class);
      }
    }
  }

  private static String metrics(int port) throws IOException, InterruptedException {
    var client = java.net.http.HttpClient.newHttpClient();
    return client
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
