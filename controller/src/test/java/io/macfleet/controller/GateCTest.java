package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.link.AgentState;
import io.macfleet.simulator.OllamaSimulator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gate C end to end: a real agent reads the callers of its Ollama (the simulator, writing a server.log in Ollama's
 * format) and reports them; `macfleet clients` shows who called and how many at once; `gate` fails the host with
 * split_tiers when its callers asked for more at once than the probes measured, or had prompts truncated; and the
 * observations travel through export and `gate --input` unchanged.
 */
class GateCTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void callersBeyondTheProbedConcurrencyAndTruncatedPromptsFailGateC() throws Exception {
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"m:1\",\"digest\":\"" + "1".repeat(64)
            + "\",\"format\":\"gguf\",\"quantization_level\":\"Q4_K_M\",\"loaded\":true,"
            + "\"context_length\":64}],\"timing\":{\"ttft_ms\":5,\"decode_tokens_per_s\":400,"
            + "\"num_parallel\":8}}");
    Path log = tmp.resolve("server.log");
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator sim = OllamaSimulator.start(profile, 0, log)) {
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-c", "UUID-C");
      try (AgentDaemon agent = TestController.agent(a, sim.url(), "mac-c", log)) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(a.enrollment().hostId));
        for (int i = 0; i < 2; i++) { // a baseline run, then the candidate
          var r = c.cli(
              "replay",
              "mac-c",
              "--model",
              "m:1",
              "--samples",
              "24",
              "--concurrency",
              "1,2",
              "--wait",
              "60");
          assertThat(r.out()).as(r.err()).contains("done");
        }
        // the callers the probes never measured: six streams of 3 s at once, and a prompt longer
        // than the context
        HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<InputStream>>> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          streams.add(http.sendAsync(
              generate(sim, "caller " + i, 1200), HttpResponse.BodyHandlers.ofInputStream()));
        }
        for (var s : streams) {
          s.get().body().read();
        }
        assertThat(c.cli("host", "mac-c", "--refresh").code()).isZero(); // while they stream
        for (var s : streams) {
          s.get().body().readAllBytes();
        }
        http.send(generate(sim, "x".repeat(2000), 4), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(c.cli("host", "mac-c", "--refresh").code()).isZero();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> clients(c).path("truncated_prompts").asInt() == 1);
        JsonNode seen = clients(c);
        assertThat(seen.path("max_in_flight").asInt()).isEqualTo(6);
        assertThat(seen.path("largest_prompt_tokens").asInt()).isEqualTo(500);
        assertThat(seen.path("context_limit").asInt()).isEqualTo(64);
        JsonNode me = null;
        for (JsonNode k : seen.path("clients")) {
          if (k.path("pid").asLong() == ProcessHandle.current().pid()) {
            me = k;
          }
        }
        assertThat(me).as(seen.toString()).isNotNull();
        assertThat(me.path("kind").asText()).isEqualTo("automation");
        assertThat(me.path("connections").asInt()).isGreaterThanOrEqualTo(6);
        String table = c.cli("clients", "mac-c").out();
        assertThat(table)
            .contains("mac-c")
            .contains("500 > 64 tokens")
            .contains("POST /api/generate");

        var gate = c.cli("gate", "--model", "m:1", "--baseline", "mac-c", "--candidate", "mac-c");
        assertThat(gate.code()).as(gate.out()).isEqualTo(1);
        assertThat(gate.out())
            .contains("clients_concurrency")
            .contains("mac-c: 6 at once")
            .contains("<= 2 at once")
            .contains("next step: split_tiers (clients_concurrency, clients_truncation)");
        JsonNode rules = JSON.readTree(c.cli(
                    "gate",
                    "--model",
                    "m:1",
                    "--baseline",
                    "mac-c",
                    "--candidate",
                    "mac-c",
                    "--json")
                .out())
            .path("rules");
        assertThat(rule(rules, "identity_digest").path("result").asText()).isEqualTo("pass");
        assertThat(rule(rules, "clients_truncation").path("next_step").asText())
            .isEqualTo("split_tiers");

        // the same judgement offline, from the exported file
        Path file = tmp.resolve("export.ndjson");
        assertThat(c.cli("export", "-o", file.toString()).code()).isZero();
        assertThat(Files.readString(file))
            .contains("\"kind\":\"clients\"")
            .contains("\"kind\":\"state\"");
        var offline = c.cli(
            "gate",
            "--input",
            file.toString(),
            "--model",
            "m:1",
            "--baseline",
            "mac-c",
            "--candidate",
            "mac-c");
        assertThat(offline.code()).as(offline.out()).isEqualTo(1);
        assertThat(offline.out()).contains("mac-c: 6 at once");
      }
    }
  }

  private static JsonNode rule(JsonNode rules, String name) {
    for (JsonNode r : rules) {
      if (r.path("rule").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no rule " + name + " in " + rules);
  }

  private static JsonNode clients(TestController c) throws Exception {
    return JSON.readTree(c.cli("clients", "mac-c", "--json").out()).get(0);
  }

  private static HttpRequest generate(OllamaSimulator sim, String prompt, int tokens) {
    return HttpRequest.newBuilder(URI.create(sim.url() + "/api/generate"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m:1\",\"prompt\":\"" + prompt
            + "\",\"options\":{\"num_predict\":" + tokens + "}}"))
        .build();
  }
}
