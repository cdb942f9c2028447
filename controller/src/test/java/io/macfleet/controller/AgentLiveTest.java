package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running agent: reports on change, answers the controller's push over its stream, and Ollama going away. */
class AgentLiveTest {
  @TempDir
  Path tmp;

  static String profile(String version, String digest) {
    return "{\"version\":\"" + version
        + "\",\"models\":[{\"name\":\"qwen3.6:35b-a3b-nvfp4\",\"digest\":\"" + digest
        + "\",\"format\":\"safetensors\",\"quantization_level\":\"nvfp4\"}]}";
  }

  @Test
  void reportsOnChangeAndWhenTheControllerAsks() throws Exception {
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(profile, profile("0.32.15", "1".repeat(64)));
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator sim = OllamaSimulator.start(profile, 0)) {
      AgentState state = c.enroll(tmp.resolve("agent"), "mac-live", "UUID-L");
      // a long interval, so every report after the first is caused by a change or a request
      try (AgentDaemon agent = new AgentDaemon(
          state,
          new SnapshotCollector(
              HostCollectors.linux(Path.of("/"), java.util.Optional.empty()),
              new OllamaInventoryCollector(new OllamaClient(sim.url())),
              "mac-live",
              Duration.ofMinutes(10),
              Clock.systemUTC()),
          new AgentDaemon.Settings(Duration.ofMinutes(10), Duration.ofMillis(200), 100))) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.cli("host", "mac-live").out().contains("1".repeat(64)));

        // a re-pulled model with a new digest is reported without waiting for the interval
        Files.writeString(profile, profile("0.32.15", "2".repeat(64)));
        Files.setLastModifiedTime(profile, FileTime.from(Instant.now().plusSeconds(2)));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.cli("host", "mac-live").out().contains("2".repeat(64)));

        await().atMost(Duration.ofSeconds(20)).until(agent::streamConnected);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(state.enrollment().hostId));
        long before = c.server().reports().sequences(state.enrollment().hostId).size();
        var refreshed = c.cli("host", "mac-live", "--refresh");
        assertThat(refreshed.code()).as(refreshed.err()).isZero();
        assertThat(refreshed.err()).isEmpty();
        assertThat(c.server().reports().sequences(state.enrollment().hostId).size())
            .isGreaterThan((int) before);
        // with the stream up, the requested report travelled on it rather than by a call of its own
        assertThat(agent.transport().deliveredOnStream()).isPositive();

        // Ollama goes away: reported as down, not a crash
        sim.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> c.cli("hosts").out().contains(" down "));
        assertThat(c.cli("host", "mac-live").out()).contains("connection refused");

        // revoking ends the host's stream, and its reconnects are refused
        assertThat(c.cli("hosts", "revoke", "mac-live").code()).isZero();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !c.server().sessions().connected(state.enrollment().hostId));
        String hostId = state.enrollment().hostId;
        await()
            .during(Duration.ofMillis(1500))
            .atMost(Duration.ofSeconds(3))
            .until(() -> !c.server().sessions().connected(hostId));
      }
    }
  }

  @Test
  void healthCheckingAnswersWithoutCredentials() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      var ch = AgentChannels.open(c.target(), c.caPem());
      try {
        HealthCheckResponse r = HealthGrpc.newBlockingStub(ch)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder()
                .setService("macfleet.v1.AgentService")
                .build());
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
