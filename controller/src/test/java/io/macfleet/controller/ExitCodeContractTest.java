package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.link.AgentState;
import io.macfleet.proto.v1.ModelInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes scripts can rely on, and probe options refused before anything is sent. */
class ExitCodeContractTest {
  private static final String THERMAL = "src/test/resources/scenarios/environment_thermal.ndjson";

  @TempDir
  Path tmp;

  @Test
  void probeOptionsAreCheckedBeforeAnythingIsSent() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      for (String[] bad : new String[][] {
        {"--samples", "4", "too few for a verdict"},
        {"--samples", "0", "--samples must be 1 to 10000"},
        {"--concurrency", "1,65", "--concurrency levels must be 1 to 64"},
        {"--concurrency", "4,4", "names a level twice"}
      }) {
        var r = c.cli("replay", "mac-a", "--model", "m:1", bad[0], bad[1]);
        assertThat(r.code()).as(String.join(" ", bad)).isEqualTo(2);
        assertThat(r.err()).contains(bad[2]);
      }
      var model = c.cli(
          "schedule",
          "add",
          "x",
          "--cron",
          "0 0 3 * * ?",
          "--hosts",
          "all",
          "--model",
          "qwen3;rm -rf");
      assertThat(model.code()).isEqualTo(2);
      assertThat(model.err()).contains("is not an Ollama model name");
      assertThat(c.cli("runs", "--json").out())
          .doesNotContain("\"id\""); // nothing reached the controller
      assertThat(c.cli("schedule", "--json").out()).doesNotContain("\"x\"");
      var small = c.cli("replay", "mac-a", "--model", "m:1", "--samples", "4", "--allow-small");
      assertThat(small.code()).as("missed: never connected").isEqualTo(7);
    }
  }

  @Test
  void driftExitCodeSaysWhetherThereIsDrift() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      AgentState b = c.enroll(tmp.resolve("b"), "mac-b", "UUID-B");
      c.agentStub(a.nodeKey())
          .report(TestController.report(
              a.enrollment().hostId,
              1,
              TestController.snapshot("mac-a", "0.32.15", "M4", model("a"))));
      c.agentStub(b.nodeKey())
          .report(TestController.report(
              b.enrollment().hostId,
              1,
              TestController.snapshot("mac-b", "0.32.15", "M4", model("a"))));
      assertThat(c.cli("drift", "--exit-code").code())
          .as("the same digest everywhere")
          .isZero();
      c.agentStub(b.nodeKey())
          .report(TestController.report(
              b.enrollment().hostId,
              2,
              TestController.snapshot("mac-b", "0.32.15", "M4", model("b"))));
      assertThat(c.cli("drift", "--exit-code").code()).isEqualTo(1);
      assertThat(c.cli("drift").code())
          .as("without --exit-code drift is not an error")
          .isZero();
    }
  }

  @Test
  void aGateSideThatNamesNoHostExitsFive() {
    var r = TestController.cliRaw(
        "gate",
        "--model",
        "qwen3.5:35b-a3b-nvfp4",
        "--baseline",
        "mac-102",
        "--candidate",
        "mac-nosuch",
        "--input",
        THERMAL);
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).contains("no host matches --candidate 'mac-nosuch'");
  }

  private static ModelInfo model(String digestChar) {
    return ModelInfo.newBuilder()
        .setName("qwen3:8b")
        .setDigest(digestChar.repeat(64))
        .setFormat("gguf")
        .build();
  }
}
