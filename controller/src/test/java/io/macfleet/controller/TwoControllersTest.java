package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ControlStream;
import io.macfleet.agent.link.Enroller;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.controller.security.DataDirectory;
import io.macfleet.controller.store.TestPostgres;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controllers on one PostgreSQL: a schedule made on one fires once per firing fleet-wide (Quartz clustered),
 * its runs reach the agent through whichever controller holds its stream, and when that controller is killed the
 * agent fails over to the other, its spool delivered with no acknowledged report lost.
 */
class TwoControllersTest {
  private static final String MODEL = "qwen3.6:35b-a3b-nvfp4";

  @TempDir
  Path tmp;

  /** The second controller shares the first's CA, certificates and secrets: one fleet, one trust. */
  private static void copySecrets(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path rel = from.relativize(p);
        if (rel.toString().startsWith("macfleet") || rel.toString().startsWith("ssh")) {
          continue; // H2 files (unused on PostgreSQL) and per-controller SSH keys stay behind
        }
        Path dst = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static List<Instant> scheduledRuns(TestController c, String status) throws Exception {
    List<Instant> out = new ArrayList<>();
    for (JsonNode r :
        new ObjectMapper().readTree(c.cli("runs", "--json", "--limit", "1000").out())) {
      if (r.path("purpose").asText().equals("scheduled")
          && (status == null || r.path("status").asText().equals(status))) {
        out.add(Instant.parse(r.path("requested_at").asText()));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void schedulesFireOnceAndTheAgentFailsOver() throws Exception {
    String url = TestPostgres.create();
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.19.0\",\"models\":[{\"name\":\"" + MODEL + "\",\"digest\":\""
            + "1".repeat(64) + "\",\"format\":\"safetensors\",\"loaded\":true}],"
            + "\"timing\":{\"ttft_ms\":10,\"decode_tokens_per_s\":800}}");
    // controller A in its own JVM (Quartz keeps one scheduler per name per JVM, and a real fleet
    // runs them apart),
    // so that it can be killed outright; controller B in this one
    int portA;
    try (java.net.ServerSocket ss =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      portA = ss.getLocalPort();
    }
    Path pw = tmp.resolve("db-password");
    Files.writeString(pw, TestPostgres.password());
    String pgUrl = "postgresql://" + url.substring("jdbc:postgresql://".length());
    Process a = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "io.macfleet.controller.cli.MacfleetMain",
            "serve",
            "--data-dir",
            tmp.resolve("ctl-a").toString(),
            "--listen",
            "127.0.0.1:" + portA,
            "--metrics-port",
            "-1",
            "--db",
            pgUrl,
            "--db-user",
            TestPostgres.user(),
            "--db-password-file",
            pw.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("controller-a.log").toFile())
        .start();
    String targetA = "127.0.0.1:" + portA;
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", portA)) {
        return true;
      } catch (java.io.IOException e) {
        assertThat(a.isAlive())
            .as(Files.readString(tmp.resolve("controller-a.log")))
            .isTrue();
        return false;
      }
    });
    Files.createDirectories(tmp.resolve("ctl-b"));
    copySecrets(tmp.resolve("ctl-a"), tmp.resolve("ctl-b"));
    try (TestController b = new TestController(tmp.resolve("ctl-b"), Duration.ofMinutes(30), url);
        OllamaSimulator sim = OllamaSimulator.start(profile, 0)) {
      AgentState state = new AgentState(tmp.resolve("agent"));
      String both = targetA + "," + b.target();
      Enroller.enroll(
          state,
          both,
          EnrollmentBundle.read(DataDirectory.agentBundle(tmp.resolve("ctl-a")), null),
          false,
          "mac-ha",
          "UUID-HA",
          "test");
      String hostId = state.enrollment().hostId;
      try (AgentDaemon agent = new AgentDaemon(
          state,
          new SnapshotCollector(
              HostCollectors.linux(Path.of("/"), Optional.empty()),
              new OllamaInventoryCollector(new OllamaClient(sim.url())),
              "mac-ha",
              Duration.ofSeconds(1),
              Clock.systemUTC()),
          new AgentDaemon.Settings(
              Duration.ofSeconds(1), Duration.ofMillis(500), 10_000, sim.url(), null))) {
        agent.start();
        // the agent is on A (first in its list), not on B
        await().atMost(Duration.ofSeconds(30)).until(() -> b.cli("hosts").out().contains("online"));
        assertThat(b.server().sessions().connected(hostId)).isFalse();

        // a replay asked of B reaches the agent through A, which holds its stream
        var replay = b.cli(
            "replay",
            "mac-ha",
            "--model",
            MODEL,
            "--samples",
            "2",
            "--allow-small",
            "--concurrency",
            "1",
            "--num-predict",
            "4",
            "--wait",
            "30",
            "--json");
        assertThat(
                new ObjectMapper().readTree(replay.out()).get(0).path("status").asText())
            .as(replay.out() + replay.err())
            .isEqualTo("done");

        // "report now" asked of B travels through the database to A, which asks the agent; B waits
        // for the report
        var refresh = b.cli("host", "mac-ha", "--refresh");
        assertThat(refresh.code()).as(refresh.err()).isZero();
        assertThat(refresh.err()).doesNotContain("warning");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> Files.readString(tmp.resolve("controller-a.log"))
                .contains("host " + hostId + " asked to report by another controller"));

        // revoked through B, a host connected to A loses its stream there and its key stops working
        // on A
        AgentState other = new AgentState(tmp.resolve("agent-rv"));
        Enroller.enroll(
            other,
            targetA,
            EnrollmentBundle.read(DataDirectory.agentBundle(tmp.resolve("ctl-a")), null),
            false,
            "mac-rv",
            "UUID-RV",
            "test");
        var channelToA = AgentChannels.open(targetA, b.caPem());
        var linkToA = ControllerLink.open(targetA, b.caPem(), false);
        try {
          var keyRv = AgentChannels.nodeKey(other.nodeKey());
          String rvId = other.enrollment().hostId;
          ControlStream rvStream = new ControlStream(
              new AgentCalls(linkToA, other.nodeKey()),
              rvId,
              "test",
              () -> 0,
              () -> {},
              (work, reply) -> {},
              new Backoff(
                  Duration.ofMillis(100),
                  Duration.ofMillis(500),
                  new java.util.SplittableRandom(2)));
          Thread rvThread = new Thread(rvStream, "rv-stream");
          rvThread.setDaemon(true);
          rvThread.start();
          var rvCall = AgentServiceGrpc.newBlockingStub(channelToA).withCallCredentials(keyRv);
          HostSnapshot rvSnap = TestController.snapshot("mac-rv", "0.32.15", "M4");
          assertThat(rvCall
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .report(TestController.report(rvId, 1, rvSnap))
                  .getOutcome())
              .isEqualTo(ReportAck.Outcome.STORED);
          await().atMost(Duration.ofSeconds(20)).until(rvStream::connected);
          assertThat(b.cli("hosts", "revoke", "mac-rv").code()).isZero();
          await().atMost(Duration.ofSeconds(20)).until(() -> !rvStream.connected());
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> TestController.code(() -> rvCall
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .report(TestController.report(rvId, 2, rvSnap)))
                  == io.grpc.Status.Code.UNAUTHENTICATED);
          // its reconnects are refused too: it stays disconnected
          await()
              .during(Duration.ofMillis(1500))
              .atMost(Duration.ofSeconds(3))
              .until(() -> !rvStream.connected());
          rvStream.stop();
          rvThread.interrupt();
        } finally {
          channelToA.shutdownNow();
          linkToA.close();
        }

        // made on B, the agent is on A: every firing, from whichever controller's Quartz, reaches
        // it once
        var add = b.cli(
            "schedule",
            "add",
            "every-3s",
            "--cron",
            "*/3 * * * * ?",
            "--hosts",
            "all",
            "--model",
            MODEL,
            "--samples",
            "2",
            "--allow-small",
            "--concurrency",
            "1",
            "--num-predict",
            "4");
        assertThat(add.code()).as(add.err()).isZero();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> scheduledRuns(b, "done").size() >= 3);

        a.destroyForcibly()
            .waitFor(); // SIGKILL: the controller holding the agent's stream dies mid-run
        await().atMost(Duration.ofSeconds(60)).until(() -> b.server().sessions().connected(hostId));
        int before = scheduledRuns(b, "done").size();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> scheduledRuns(b, "done").size() >= before + 3);
        b.cli("schedule", "rm", "every-3s");

        // once per firing: runs of a 3-second schedule are never closer than a firing apart
        List<Instant> fired = scheduledRuns(b, null);
        for (int i = 1; i < fired.size(); i++) {
          assertThat(Duration.between(fired.get(i - 1), fired.get(i)))
              .as("two runs for one firing: " + fired)
              .isGreaterThan(Duration.ofMillis(1500));
        }
        // every report reached the database exactly once and in full, across the failover
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.spool().size() == 0);
        List<Long> stored = b.server().reports().sequences(hostId);
        assertThat(stored).isNotEmpty().doesNotHaveDuplicates();
        long max = stored.get(stored.size() - 1);
        assertThat(stored)
            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(stored.get(0), max)
                .boxed()
                .toList());
      }
    } finally {
      a.destroyForcibly().waitFor();
      TestPostgres.drop(url);
    }
  }
}
