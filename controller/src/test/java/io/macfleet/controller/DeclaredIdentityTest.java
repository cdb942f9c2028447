package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.link.AgentState;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gate A end to end, through real agents and two simulated Ollamas: the same tag and the same blob, but one host's
 * Ollama declares another dtype for it. `drift` names it (and exits 1 with --exit-code), `host` shows what each
 * declares, a second tag of the same digest is one identity under two names, and `gate` fails Gate A.
 */
class DeclaredIdentityTest {
  @TempDir
  Path tmp;

  private Path profile(String name, String version, String declared) throws Exception {
    Path p = tmp.resolve(name + ".json");
    String model =
        "{\"name\":\"%s\",\"digest\":\"" + "d".repeat(64) + "\",\"format\":\"safetensors\","
            + "\"family\":\"qwen35moe\",\"quantization_level\":\"nvfp4\",\"declared_quantization\":\""
            + declared + "\",\"parameter_count\":36000000000}";
    Files.writeString(
        p,
        "{\"version\":\"" + version + "\",\"models\":["
            + String.format(model, "qwen3.6:35b-a3b-nvfp4") + ","
            + String.format(model, "qwen3.6:latest")
            + "],\"timing\":{\"ttft_ms\":5,\"decode_tokens_per_s\":2000}}");
    return p;
  }

  private static AgentDaemon agent(AgentState a, OllamaSimulator sim, String name)
      throws Exception {
    return TestController.agent(a, sim.url(), name);
  }

  @Test
  void oneBlobDeclaredAsAnotherDtypeIsDriftAndAliasesAreOneIdentity() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator stable = OllamaSimulator.start(profile("a", "0.32.15", "nvfp4"), 0);
        OllamaSimulator preview = OllamaSimulator.start(profile("b", "0.33.0", "mxfp8"), 0)) {
      AgentState a = c.enroll(tmp.resolve("agent-a"), "mac-a", "UUID-A");
      AgentState b = c.enroll(tmp.resolve("agent-b"), "mac-b", "UUID-B");
      try (AgentDaemon da = agent(a, stable, "mac-a");
          AgentDaemon db = agent(b, preview, "mac-b")) {
        da.start();
        db.start();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> c.cli("hosts").out().contains("0.33.0")
                && c.cli("hosts").out().contains("0.32.15"));
        var drift = c.cli("drift", "--exit-code");
        assertThat(drift.code()).as(drift.out()).isEqualTo(1);
        assertThat(drift.out())
            .contains(
                "Declared dtype drift", "qwen3.6:35b-a3b-nvfp4", "mxfp8  mac-b", "nvfp4  mac-a")
            .contains("qwen3.6:35b-a3b-nvfp4 = qwen3.6:latest");
        assertThat(drift.out()).contains("Model digest drift (same tag, different blobs):\n  none");
        assertThat(c.cli("host", "mac-b").out()).contains("DECLARED", "mxfp8", "qwen35moe");
        // and Prometheus sees it: both tags of the blob drift, and both hosts' Ollama is up
        String metrics = java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + c.server().ops().orElseThrow().port() + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
        assertThat(metrics)
            .contains(
                "macfleet_drift_tags 2.0",
                "macfleet_hosts_ollama{state=\"up\"} 2.0",
                "macfleet_hosts_failing_gate{gate=\"identity\"} 2.0");

        // Gate A in the gate: the same digest passes, the declared dtype does not
        var replay = c.cli(
            "replay",
            "mac-a,mac-b",
            "--model",
            "qwen3.6:35b-a3b-nvfp4",
            "--samples",
            "24",
            "--concurrency",
            "1",
            "--wait",
            "60");
        assertThat(replay.out()).as(replay.err()).contains("done");
        var gate = c.cli(
            "gate",
            "--model",
            "qwen3.6:35b-a3b-nvfp4",
            "--baseline",
            "mac-a",
            "--candidate",
            "mac-b");
        assertThat(gate.code()).as(gate.out()).isEqualTo(1);
        assertThat(gate.out())
            .containsPattern("identity_digest .* pass")
            .contains("{mac-a=nvfp4, mac-b=mxfp8}")
            .contains("next step: cache_surgery (identity_dtype)");
      }
    }
  }
}
