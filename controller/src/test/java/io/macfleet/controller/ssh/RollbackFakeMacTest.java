package io.macfleet.controller.ssh;

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
import io.macfleet.controller.TestController;
import io.macfleet.controller.fleet.AuditLog;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ladder, all five steps, on an embedded SSHD playing a Mac with Ollama.app (launchctl answers, a fake
 * model store that `ollama rm` and `ollama pull` change) and a live agent probing an Ollama simulator: the
 * ladder completes with a verdict and its record.
 */
class RollbackFakeMacTest {
  private static final String MODEL = "qwen3.6:35b-a3b-nvfp4";

  @TempDir
  Path tmp;

  @Test
  void allFiveStepsOnAMacWithTheOllamaApp() throws Exception {
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.19.0\",\"models\":[{\"name\":\"" + MODEL + "\",\"digest\":\""
            + "1".repeat(64) + "\",\"format\":\"safetensors\",\"loaded\":true}],"
            + "\"timing\":{\"ttft_ms\":20,\"decode_tokens_per_s\":500}}");
    String manifestPath =
        "/Users/macfleet/.ollama/models/manifests/registry.ollama.ai/library/qwen3.6/35b-a3b-nvfp4";
    Map<String, String> store =
        new ConcurrentHashMap<>(Map.of(manifestPath, "{\"layers\":[\"suspect\"]}"));
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator sim = OllamaSimulator.start(profile, 0)) {
      AgentState state = c.enroll(tmp.resolve("agent"), "mac-app", "U1");
      PublicKey key = SshCheckTest.controllerKey(c);
      try (FakeMac mac = new FakeMac(tmp.resolve("mac-key"), key);
          AgentDaemon agent = new AgentDaemon(
              state,
              new SnapshotCollector(
                  HostCollectors.linux(Path.of("/"), Optional.empty()),
                  new OllamaInventoryCollector(new OllamaClient(sim.url())),
                  "mac-app",
                  Duration.ofMinutes(10),
                  Clock.systemUTC()),
              new AgentDaemon.Settings(
                  Duration.ofMinutes(10), Duration.ofSeconds(5), 100, sim.url(), null))) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> c.server().sessions().connected(state.enrollment().hostId));
        mac.answer(List.of("/usr/bin/printenv", "HOME"), 0, "/Users/macfleet\n");
        mac.answer(List.of("/usr/local/bin/ollama", "--version"), 0, "ollama version is 0.19.0\n");
        mac.answer(List.of("/usr/sbin/sysctl", "-n", "kern.osversion"), 0, "24E263\n");
        mac.answer(List.of("/usr/bin/id", "-u"), 0, "501\n");
        mac.answer(
            List.of("/bin/launchctl", "print", "gui/501/com.ollama.ollama"),
            0,
            FakeMac.fixture(
                    "launchctl-print-system.wazuh-packages-2206-mojave.TRUNCATED.TABS-AS-SPACES.txt")
                .replace("com.wazuh.agent", "com.ollama.ollama"));
        mac.answer(
            List.of("/bin/launchctl", "kickstart", "-k", "gui/501/com.ollama.ollama"), 0, "");
        mac.handler = argv -> {
          if (argv.get(0).equals("/bin/cat")) {
            String m = store.get(argv.get(1));
            return m == null
                ? new FakeMac.Answer(1, "", "cat: " + argv.get(1) + ": No such file or directory\n")
                : new FakeMac.Answer(0, m, "");
          }
          if (argv.equals(List.of("/usr/local/bin/ollama", "rm", MODEL))) {
            return store.remove(manifestPath) == null
                ? new FakeMac.Answer(1, "", "Error: not found\n")
                : new FakeMac.Answer(0, "deleted '" + MODEL + "'\n", "");
          }
          if (argv.equals(List.of("/usr/local/bin/ollama", "pull", MODEL))) {
            store.put(manifestPath, "{\"layers\":[\"fresh\"]}");
            return new FakeMac.Answer(0, "success\n", "");
          }
          if (argv.equals(List.of("/usr/local/bin/ollama", "pull", "qwen3.6:35b-a3b-q4_K_M"))) {
            return new FakeMac.Answer(0, "success\n", "");
          }
          return null;
        };
        c.cli("hosts", "label", "mac-app", "ssh.host=127.0.0.1", "ssh.port=" + mac.port());
        assertThat(c.cli("ssh", "trust", "mac-app").code()).isZero();

        var r = c.cli(
            "rollback",
            "mac-app",
            "--model",
            MODEL,
            "--gguf-tag",
            "qwen3.6:35b-a3b-q4_K_M",
            "--samples",
            "4",
            "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertThat(out.path("outcome").asText()).isEqualTo("completed");
        assertThat(out.path("steps"))
            .extracting(s -> s.path("status").asText())
            .containsExactly("ok", "ok", "ok", "ok", "ok");
        assertThat(out.path("steps").get(1).path("detail").asText())
            .contains("restarted Ollama.app", "kickstart -k gui/501/com.ollama.ollama");
        assertThat(out.path("steps").get(2).path("detail").asText())
            .contains(
                AuditLog.sha256("{\"layers\":[\"suspect\"]}"),
                AuditLog.sha256("{\"layers\":[\"fresh\"]}"));
        // 4 samples a level: the probe ran 1-way then 4-way and was judged (too few samples to
        // claim anything)
        assertThat(out.path("steps").get(3).path("detail").asText())
            .contains("1-way", "4-way", "insufficient_data");
        assertThat(mac.received)
            .contains("'/bin/launchctl' 'kickstart' '-k' 'gui/501/com.ollama.ollama'");
        JsonNode runs = new ObjectMapper()
            .readTree(c.cli("runs", "--host", "mac-app", "--json").out());
        assertThat(runs.get(0).path("purpose").asText()).isEqualTo("rollback_check");
        assertThat(runs.get(0).path("status").asText()).isEqualTo("done");
      }
    }
  }
}
