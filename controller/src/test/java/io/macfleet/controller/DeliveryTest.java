package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ControlStream;
import io.macfleet.agent.link.ReportSender;
import io.macfleet.agent.link.ReportSpool;
import io.macfleet.agent.link.ReportTransport;
import io.macfleet.agent.link.StreamReportTransport;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spool and exactly-once delivery, with a controller that is down, comes back, or is killed. */
class DeliveryTest {
  @TempDir
  Path tmp;

  @Test
  void reportsMadeWhileTheControllerIsDownArriveOnceAndInOrder() throws Exception {
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"llama3.2:latest\",\"digest\":\""
            + "a".repeat(64) + "\",\"format\":\"gguf\"}]}");
    TestController c = new TestController(tmp.resolve("ctl"));
    int port = c.port();
    AgentState state = c.enroll(tmp.resolve("agent"), "mac-a", "UUID-A");
    String host = state.enrollment().hostId;
    c.stop();
    try (OllamaSimulator sim = OllamaSimulator.start(profile, 0);
        AgentDaemon agent = new AgentDaemon(
            state,
            new SnapshotCollector(
                HostCollectors.linux(Path.of("/"), java.util.Optional.empty()),
                new OllamaInventoryCollector(new OllamaClient(sim.url())),
                "mac-a",
                Duration.ofMinutes(1),
                Clock.systemUTC()),
            new AgentDaemon.Settings(Duration.ofSeconds(1), Duration.ofMillis(200), 1000))) {
      agent.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.spool().size() >= 4);
      assertThat(agent.sender().delivered()).isZero();
      c.start(port);
      await().atMost(Duration.ofSeconds(60)).until(() -> agent.sender().delivered() >= 6);
      agent.close();
      long last = agent.sender().lastAckedSeq();
      List<Long> stored = c.server().reports().sequences(host);
      // in order, each once, nothing acknowledged missing; one more may be stored whose ack the
      // shutdown cut off
      assertThat(stored.size()).isGreaterThanOrEqualTo((int) last);
      assertThat(stored)
          .isEqualTo(LongStream.rangeClosed(1, stored.size()).boxed().toList());
      var hosts = c.cli("hosts", "--json");
      assertThat(hosts.out())
          .contains("\"name\": \"mac-a\"")
          .contains("\"ollama_version\": \"0.32.15\"");
    } finally {
      c.close();
    }
  }

  /** By Report calls (older controllers) and on the control stream (the default), the kill loses nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"call", "stream"})
  void noAcknowledgedReportIsLostWhenTheControllerIsKilled(String transport) throws Exception {
    Path data = tmp.resolve("ctl");
    int port = ControllerProcess.freePort();
    Process controller = ControllerProcess.start(data, port, tmp.resolve("controller-1.log"));
    ReportSender sender = null;
    Thread senderThread = null;
    ControlStream stream = null;
    try {
      AgentState state =
          new TestController.Enrolling(data, port).enroll(tmp.resolve("agent"), "mac-k");
      String host = state.enrollment().hostId;
      ReportSpool spool = new ReportSpool(state.spoolDir(), 10_000);
      HostSnapshot snap = TestController.snapshot(
          "mac-k",
          "0.32.15",
          "M4",
          ModelInfo.newBuilder().setName("qwen:1").setDigest("b".repeat(64)).build());
      int total = 400;
      for (long seq = 1; seq <= total; seq++) {
        spool.append(TestController.report(host, seq, snap));
      }
      var channel =
          ControllerLink.open("127.0.0.1:" + port, Files.readString(state.caFile()), false);
      var creds = new AgentCalls(channel, state.nodeKey());
      ReportTransport byCall = ReportTransport.unary(creds);
      StreamReportTransport onStream = null;
      if (transport.equals("stream")) {
        stream = new ControlStream(
            creds,
            host,
            "test",
            () -> 0,
            () -> {},
            (work, reply) -> {},
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), new SplittableRandom(3)));
        Thread streamThread = new Thread(stream, "test-stream");
        streamThread.setDaemon(true);
        streamThread.start();
        ControlStream st = stream;
        await().atMost(Duration.ofSeconds(20)).until(st::connected);
        onStream = new StreamReportTransport(stream, byCall);
      }
      sender = new ReportSender(
          spool,
          onStream == null ? byCall : onStream,
          new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), new SplittableRandom(7)),
          Duration.ofSeconds(5));
      senderThread = new Thread(sender, "test-sender");
      senderThread.start();
      ReportSender s = sender;
      await().atMost(Duration.ofSeconds(60)).until(() -> s.delivered() >= 60);
      controller.destroyForcibly().waitFor(); // SIGKILL, mid-stream
      if (onStream != null) {
        assertThat(onStream.deliveredOnStream())
            .as("reports acknowledged on the stream")
            .isGreaterThanOrEqualTo(60);
      }
      long ackedBeforeKill = sender.lastAckedSeq();
      assertThat(ackedBeforeKill).isLessThan(total);

      controller = ControllerProcess.start(data, port, tmp.resolve("controller-2.log"));
      await().atMost(Duration.ofSeconds(90)).until(() -> spool.size() == 0);
      sender.stop();
      senderThread.join(5000);
      channel.close();
      controller.destroy();
      controller.waitFor();

      try (Database db = Database.open(Database.h2Url(data), "", "", 1)) {
        List<Long> stored = new ReportRepository(db).sequences(host);
        // every acknowledged report survived the kill, and retries never stored one twice
        assertThat(stored)
            .containsAll(LongStream.rangeClosed(1, ackedBeforeKill).boxed().toList());
        assertThat(new ArrayList<>(stored))
            .isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(
                new HostRepository(db).findByName("mac-k", false).orElseThrow().lastSeq())
            .isEqualTo(total);
      }
    } finally {
      if (sender != null) {
        sender.stop();
      }
      if (stream != null) {
        stream.stop();
      }
      controller.destroyForcibly();
    }
  }
}
