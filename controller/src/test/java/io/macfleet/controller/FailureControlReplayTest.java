package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.link.AgentState;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's solo reproduction, end to end: two Macs of one chip generation (real M1 Pro command outputs) under
 * the same triple, one the control. A failure whose scope no run in hand can tell is replayed at once on the
 * control; clean there, it is `host_local` (cache surgery). Then a bad release lands on both: no earlier control run
 * shares the suspect's new triple, the control is replayed again and fails too: `fleet` (file it, pin the last good
 * release).
 */
class FailureControlReplayTest {
  @TempDir
  Path tmp;

  private Path profile(String name, String version, boolean failing) throws Exception {
    Path p = tmp.resolve(name + ".json");
    Files.writeString(
        p,
        "{\"version\":\"" + version + "\",\"models\":[{\"name\":\"m:1\",\"digest\":\""
            + "1".repeat(64)
            + "\",\"format\":\"gguf\",\"quantization_level\":\"Q4_K_M\",\"loaded\":true}],"
            + "\"timing\":{\"ttft_ms\":5,\"decode_tokens_per_s\":2000},\"faults\":{"
            + (failing ? "\"load_error\":true,\"error_message\":\"unable to load model\"" : "")
            + "}}");
    // the simulator re-reads its profile when the file's time changes
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() + 2000));
    return p;
  }

  private Path macOutputs(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name + "-mac"));
    Path fixtures = Path.of(System.getProperty("macfleet.fixtures", "../fixtures"), "macos");
    Files.copy(fixtures.resolve("sw_vers.idx43552286153-m1-14.0.txt"), dir.resolve("sw_vers.txt"));
    Files.copy(
        fixtures.resolve("sysctl-hw-machdep-kern.ansible-m1pro-14.4.1.txt"),
        dir.resolve("sysctl.txt"));
    return dir;
  }

  private static String replay(TestController c, String host) {
    var r = c.cli(
        "replay", host, "--model", "m:1", "--samples", "24", "--concurrency", "1", "--wait", "60");
    assertThat(r.out()).as(r.err()).containsAnyOf("done", "failed");
    return r.out();
  }

  private static void awaitVerdict(TestController c, String text) {
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> c.cli("verdicts", "--host", "mac-s").out().contains(text));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no '" + text + "' in:\n" + c.cli("verdicts", "--host", "mac-s").out() + "\n"
              + c.cli("runs").out(),
          e);
    }
  }

  @Test
  void aFailureIsSettledByTheControlReplayAsHostLocalThenAsFleet() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"));
        OllamaSimulator suspectOllama =
            OllamaSimulator.start(profile("suspect", "0.32.15", false), 0);
        OllamaSimulator controlOllama =
            OllamaSimulator.start(profile("control", "0.32.15", false), 0)) {
      AgentState s = c.enroll(tmp.resolve("agent-s"), "mac-s", "UUID-S");
      AgentState k = c.enroll(tmp.resolve("agent-k"), "mac-k", "UUID-K");
      try (AgentDaemon suspect =
              TestController.agentOnMacOutputs(s, suspectOllama.url(), "mac-s", macOutputs("s"));
          AgentDaemon control =
              TestController.agentOnMacOutputs(k, controlOllama.url(), "mac-k", macOutputs("k"))) {
        suspect.start();
        control.start();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> c.server().sessions().connected(s.enrollment().hostId)
                && c.server().sessions().connected(k.enrollment().hostId));
        assertThat(c.cli("hosts", "label", "mac-k", "role=control").code()).isZero();
        assertThat(c.cli("hosts", "--wide").out()).contains("Apple M1 Pro");
        replay(c, "mac-s"); // the baselines: clean
        replay(c, "mac-k");

        profile("suspect", "0.32.15", true); // the suspect's Ollama can no longer load the model
        assertThat(replay(c, "mac-s")).contains("failed");
        awaitVerdict(c, "host_local");
        assertThat(c.cli("verdicts", "--host", "mac-s").out())
            .contains("failure (load_failure, host_local)")
            .contains("next: cache_surgery — macfleet rollback mac-s --model m:1");

        profile("suspect", "0.33.0", true);
        profile("control", "0.33.0", true);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> c.cli("hosts").out().split("0\\.33\\.0", -1).length == 3);
        assertThat(replay(c, "mac-s")).contains("failed");
        awaitVerdict(c, "load_failure, fleet");
        assertThat(c.cli("verdicts", "--host", "mac-s").out())
            .contains(
                "next: file_regression_pin_last_good — macfleet rollback mac-s --model m:1 --pin");
      }
    }
  }
}
