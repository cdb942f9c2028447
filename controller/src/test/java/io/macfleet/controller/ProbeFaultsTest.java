package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.link.AgentState;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ollama faults mid-probe, through a real agent and controller: every run ends, and says how. */
class ProbeFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private Path profile(String faults) throws Exception {
    Path p = tmp.resolve("ollama-" + faults.hashCode() + ".json");
    Files.writeString(
        p,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"m:1\",\"digest\":\"" + "1".repeat(64)
            + "\",\"format\":\"gguf\",\"loaded\":true}],\"timing\":{\"ttft_ms\":5},\"faults\":{"
            + faults + "}}");
    return p;
  }

  private static AgentDaemon agent(AgentState a, OllamaSimulator sim, String name)
      throws Exception {
    return TestController.agent(a, sim.url(), name);
  }

  private static JsonNode run(TestController c, String id) throws Exception {
    return JSON.readTree(c.cli("run", id, "--json").out());
  }

  @Test
  void aRunWhoseEveryRequestHangsEndsFailedSoonWithItsErrorClassAndTheAgentIsFreeAgain()
      throws Exception {
    Path hung = profile("\"hang_ms\":4000");
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator sim = OllamaSimulator.start(hung, 0)) {
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-hung", "UUID-H");
      try (AgentDaemon agent = agent(a, sim, "mac-hung")) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(a.enrollment().hostId));
        long t0 = System.nanoTime();
        var r = c.cli(
            "replay",
            "mac-hung",
            "--model",
            "m:1",
            "--samples",
            "24",
            "--concurrency",
            "1",
            "--first-token-timeout",
            "1",
            "--json");
        String id = JSON.readTree(r.out()).get(0).path("id").asText();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> run(c, id).toString().contains("\"failed\""));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        JsonNode done = run(c, id);
        assertThat(done.toString()).contains("every request failed: hung 3");
        // 3 hung requests of 1 s, not 24: the level stopped (with the warm-up, well under the 24 s
        // it would take)
        assertThat(seconds).isLessThan(20);

        // the agent is not left busy: the next probe on it runs
        Files.writeString(
            hung, Files.readString(profile(""))); // Ollama recovers (the simulator re-reads it)
        Files.setLastModifiedTime(
            hung, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        var next = c.cli(
            "replay",
            "mac-hung",
            "--model",
            "m:1",
            "--samples",
            "24",
            "--concurrency",
            "1",
            "--wait",
            "60");
        assertThat(next.out()).contains("done").doesNotContain("busy");
      }
    }
  }

  @Test
  void aRunOverdueWhileTheAgentsStreamIsUpSaysTheProbeIsStuckNotThatTheAgentLeft()
      throws Exception {
    Path stuck = profile("\"hang_ms\":60000");
    try (TestController c = new TestController(tmp.resolve("ctl"), Duration.ofSeconds(3));
        OllamaSimulator sim = OllamaSimulator.start(stuck, 0)) {
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-stuck", "UUID-S");
      try (AgentDaemon agent = agent(a, sim, "mac-stuck")) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(a.enrollment().hostId));
        var r = c.cli(
            "replay",
            "mac-stuck",
            "--model",
            "m:1",
            "--samples",
            "24",
            "--concurrency",
            "1",
            "--json");
        String id = JSON.readTree(r.out()).get(0).path("id").asText();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> run(c, id).toString().contains("\"incomplete\""));
        assertThat(run(c, id).toString())
            .contains("stream stayed connected")
            .doesNotContain("went away");
        // the agent was told to stop: it is free for the next probe long before the hung request
        // would end
        Files.writeString(stuck, Files.readString(profile(""))); // Ollama recovers
        Files.setLastModifiedTime(
            stuck, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        // (a short probe: this controller's run timeout is 3 s)
        var next = c.cli(
            "replay",
            "mac-stuck",
            "--model",
            "m:1",
            "--samples",
            "1",
            "--allow-small",
            "--concurrency",
            "1",
            "--num-predict",
            "4",
            "--json");
        String nextId = JSON.readTree(next.out()).get(0).path("id").asText();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> run(c, nextId).toString().contains("\"done\""));
      }
    }
  }

  @Test
  void aCrashMidStreamOnlyUnderConcurrencyIsAFailureScopedToConcurrencyWithItsNextStep()
      throws Exception {
    Path p = tmp.resolve("ollama-parallel.json");
    String models = "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"m:1\",\"digest\":\""
        + "1".repeat(64) + "\",\"format\":\"gguf\",\"loaded\":true}],"
        + "\"timing\":{\"ttft_ms\":5,\"decode_tokens_per_s\":2000}";
    Files.writeString(p, models + "}");
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator sim = OllamaSimulator.start(p, 0)) {
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-par", "UUID-P");
      try (AgentDaemon agent = agent(a, sim, "mac-par")) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(a.enrollment().hostId));
        String[] replay = {
          "replay",
          "mac-par",
          "--model",
          "m:1",
          "--samples",
          "24",
          "--concurrency",
          "1,4",
          "--wait",
          "90",
          "--json"
        };
        assertThat(c.cli(replay).code()).isZero(); // the baseline: clean at both levels

        // Metal transients under parallel streams: a crash after 2 tokens whenever another request
        // is
        // in flight
        Files.writeString(
            p, models + ",\"faults\":{\"error_after_tokens\":2,\"only_when_in_flight_above\":1}}");
        Files.setLastModifiedTime(
            p, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        var r = c.cli(replay);
        String id = JSON.readTree(r.out()).get(0).path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> failureOf(c, id) != null);
        JsonNode v = failureOf(c, id);
        assertThat(v.path("concurrency").asInt()).isEqualTo(4);
        assertThat(v.path("symptom").asText()).isEqualTo("midstream_crash");
        assertThat(v.path("scope").asText()).isEqualTo("concurrency_only");
        assertThat(v.path("next_step").asText()).isEqualTo("architecture_review");
        assertThat(v.path("explanation").asText()).contains("midstream_error", "clean at 1-way");
        assertThat(c.cli("verdicts", "--host", "mac-par").out())
            .contains("failure (midstream_crash, concurrency_only)");
        // the failed samples keep what Ollama said and how far they got
        String record = run(c, id).path("run").toString();
        assertThat(record).contains("METAL");
      }
    }
  }

  /** The failure verdict of a run, if there is one yet. */
  private static JsonNode failureOf(TestController c, String run) throws Exception {
    for (String line : c.cli("verdicts", "--json").out().split("\n")) {
      if (!line.isBlank()) {
        JsonNode v = JSON.readTree(line);
        if (v.path("run").asText().equals(run) && v.path("verdict").asText().equals("failure")) {
          return v;
        }
      }
    }
    return null;
  }
}
