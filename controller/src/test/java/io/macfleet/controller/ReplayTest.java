package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.RunRepository;
import io.macfleet.controller.store.RunRow;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `macfleet replay` end to end: the controller pushes a probe over the agent's stream and stores the result. */
class ReplayTest {
  @TempDir
  Path tmp;

  @Test
  void aReplayRunsOnTheAgentAndAnOfflineHostGetsAMissedRun() throws Exception {
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"qwen3.6:35b-a3b-nvfp4\",\"digest\":\""
            + "1".repeat(64) + "\",\"format\":\"safetensors\",\"loaded\":true}],"
            + "\"timing\":{\"ttft_ms\":30,\"decode_tokens_per_s\":400}}");
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator sim = OllamaSimulator.start(profile, 0)) {
      AgentState live = c.enroll(tmp.resolve("live"), "mac-live", "U1");
      c.enroll(tmp.resolve("gone"), "mac-gone", "U2");
      assertThat(c.cli("hosts", "label", "mac-live", "role=candidate").code()).isZero();
      try (AgentDaemon agent = new AgentDaemon(
          live,
          new SnapshotCollector(
              HostCollectors.linux(Path.of("/"), Optional.empty()),
              new OllamaInventoryCollector(new OllamaClient(sim.url())),
              "mac-live",
              Duration.ofMinutes(10),
              Clock.systemUTC()),
          new AgentDaemon.Settings(
              Duration.ofMinutes(10), Duration.ofSeconds(5), 100, sim.url(), null))) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(live.enrollment().hostId));

        var r = c.cli(
            "replay",
            "mac-live,mac-gone",
            "--model",
            "qwen3.6:35b-a3b-nvfp4",
            "--samples",
            "4",
            "--allow-small",
            "--concurrency",
            "1,2",
            "--num-predict",
            "8",
            "--wait",
            "60",
            "--json");
        assertThat(r.code()).as("mac-gone's run was missed: " + r.err()).isEqualTo(7);
        JsonNode runs = new ObjectMapper().readTree(r.out());
        assertThat(runs).hasSize(2);
        JsonNode done =
            runs.get(0).path("host").asText().equals("mac-live") ? runs.get(0) : runs.get(1);
        JsonNode missed = done == runs.get(0) ? runs.get(1) : runs.get(0);
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.path("levels")).hasSize(2);
        assertThat(done.path("levels").get(0).path("samples").asInt()).isEqualTo(4);
        assertThat(done.path("levels").get(0).path("ttft_p50_ms").asDouble()).isBetween(30.0, 45.0);
        // the serial MLX runner: two streams queue behind each other
        assertThat(done.path("ttft_p95_ratio").asDouble()).isGreaterThan(1.3);
        assertThat(missed.path("status").asText()).isEqualTo("missed");
        assertThat(missed.path("reason").asText()).contains("never reported");

        String id = done.path("id").asText();
        var table = c.cli("runs", "--model", "qwen3.6:35b-a3b-nvfp4");
        assertThat(table.out())
            .contains(id, "mac-live", "done", "1-way", "2-way", "mac-gone", "missed");
        var detail = new ObjectMapper().readTree(c.cli("run", id, "--json").out());
        assertThat(detail.path("run").path("samples").size()).isEqualTo(9); // warm-up + 4 + 4
        assertThat(
                detail.path("run").path("triple_at_start").path("model_digest").asText())
            .isEqualTo("1".repeat(64));
        assertThat(detail.path("spec").path("samples").asInt()).isEqualTo(4);

        // the finished run was stored in the interchange's terms and judged: too few samples for a
        // claim
        c.server().verdicts().drain(Duration.ofSeconds(10));
        var verdicts = c.cli("verdicts", "--json").out().lines().toList();
        assertThat(verdicts).anyMatch(l -> l.contains(id) && l.contains("\"insufficient_data\""));
        var exported =
            c.cli("export", "--model", "qwen3.6:35b-a3b-nvfp4").out().lines().toList();
        assertThat(exported)
            .anyMatch(l -> l.contains("\"kind\":\"run\"")
                && l.contains(id)
                && l.contains("\"ollama_version\":\"0.32.15\"")
                && l.contains("\"backend\":\"mlx\""));
        assertThat(
                exported.stream().filter(l -> l.contains("\"kind\":\"sample\"") && l.contains(id)))
            .hasSize(9);
        assertThat(exported)
            .anyMatch(l -> l.contains("\"kind\":\"sample\"") && l.contains("\"cold\":true"));
        // one definition of a level: the same run imported into another controller has the same
        // levels
        java.nio.file.Path file = tmp.resolve("replayed.ndjson");
        java.nio.file.Files.write(file, exported);
        try (TestController other = new TestController(tmp.resolve("other"))) {
          assertThat(other.cli("import", file.toString()).code()).isZero();
          JsonNode probed = new ObjectMapper()
              .readTree(c.cli("run", id, "--json").out())
              .path("summary")
              .path("levels");
          JsonNode imported = new ObjectMapper()
              .readTree(other.cli("run", id, "--json").out())
              .path("summary")
              .path("levels");
          assertThat(probed).hasSize(2);
          assertThat(imported).isEqualTo(probed);
        }

        var runsCsv = c.cli("runs", "--csv").out().lines().toList();
        assertThat(runsCsv.get(0)).startsWith("run,host,model,purpose,status,concurrency");
        assertThat(runsCsv).anyMatch(l -> l.contains(",mac-gone,") && l.contains(",missed,"));
        assertThat(c.cli("run", id, "--csv").out().lines().count()).isEqualTo(3);
        var report = c.cli("report", "--model", "qwen3.6:35b-a3b-nvfp4");
        assertThat(report.out())
            .contains("mac-live", "1-way", "2-way", id)
            .doesNotContain("mac-gone");
        var csv = c.cli("report", "--model", "qwen3.6:35b-a3b-nvfp4", "--csv")
            .out()
            .lines()
            .toList();
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("host,run,finished_at,concurrency");

        // selectors: a label, and nothing matching
        assertThat(c.cli(
                    "replay",
                    "role=candidate",
                    "--model",
                    "nope:1",
                    "--samples",
                    "1",
                    "--allow-small",
                    "--concurrency",
                    "1",
                    "--wait",
                    "30")
                .out())
            .contains("failed", "ollama pull nope:1");
        assertThat(c.cli("replay", "role=nobody", "--model", "m").code()).isEqualTo(5);
      }
    }
  }

  @Test
  void anAgentThatVanishesMidRunLeavesAnIncompleteRun() throws Exception {
    Path profile = tmp.resolve("hung.json");
    // Ollama answers nothing for a long time, so the probe is still running when the agent goes
    // away
    Files.writeString(
        profile,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"m:1\",\"digest\":\"" + "1".repeat(64)
            + "\",\"format\":\"gguf\",\"loaded\":true}],\"faults\":{\"hang_ms\":20000}}");
    try (TestController c = new TestController(tmp.resolve("ctl2"), Duration.ofSeconds(3));
        OllamaSimulator sim = OllamaSimulator.start(profile, 0)) {
      AgentState a = c.enroll(tmp.resolve("v"), "mac-vanish", "U9");
      AgentDaemon agent = new AgentDaemon(
          a,
          new SnapshotCollector(
              HostCollectors.linux(Path.of("/"), Optional.empty()),
              new OllamaInventoryCollector(new OllamaClient(sim.url())),
              "mac-vanish",
              Duration.ofMinutes(10),
              Clock.systemUTC()),
          new AgentDaemon.Settings(
              Duration.ofMinutes(10), Duration.ofSeconds(5), 100, sim.url(), null));
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> c.server().sessions().connected(a.enrollment().hostId));
      var r = c.cli(
          "replay",
          "mac-vanish",
          "--model",
          "m:1",
          "--samples",
          "1",
          "--allow-small",
          "--concurrency",
          "1",
          "--json");
      String id = new ObjectMapper().readTree(r.out()).get(0).path("id").asText();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.cli("run", id).out().contains("running"));
      agent.close(); // the agent vanishes mid-run
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> c.cli("run", id).out().contains("incomplete"));
      assertThat(c.cli("run", id).out()).contains("the agent went away mid-run");
    }
  }

  @Test
  void runsWhoseAgentWentAwayBecomeIncomplete(@TempDir Path dir) throws Exception {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      new io.macfleet.controller.store.HostRepository(db)
          .insert("h1", "mac-a", "", "x", OffsetDateTime.now());
      RunRepository runs = new RunRepository(db);
      OffsetDateTime old = OffsetDateTime.now().minusHours(1);
      runs.insert(
          "r-1",
          "h1",
          "m",
          "manual",
          io.macfleet.controller.store.RunStatus.REQUESTED,
          "",
          old,
          new byte[0]);
      runs.insert(
          "r-2",
          "h1",
          "m",
          "manual",
          io.macfleet.controller.store.RunStatus.REQUESTED,
          "",
          OffsetDateTime.now(),
          new byte[0]);
      assertThat(runs.overdue(OffsetDateTime.now().minusMinutes(30)))
          .extracting(RunRow::id)
          .containsExactly("r-1");
      assertThat(runs.finish(
              "r-1",
              "h1",
              io.macfleet.controller.store.RunStatus.INCOMPLETE,
              "gone",
              null,
              null,
              java.util.List.of(),
              OffsetDateTime.now()))
          .isTrue();
      assertThat(runs.get("r-1").orElseThrow().status()).isEqualTo("incomplete");
      assertThat(runs.get("r-2").orElseThrow().status()).isEqualTo("requested");
      // a late result cannot overturn it
      assertThat(runs.finish(
              "r-1",
              "h1",
              io.macfleet.controller.store.RunStatus.DONE,
              "",
              null,
              "{}",
              java.util.List.of(),
              OffsetDateTime.now()))
          .isFalse();
    }
  }
}
