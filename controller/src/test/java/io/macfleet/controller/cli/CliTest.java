package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.link.AgentState;
import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.ModelInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The macfleet CLI against a real controller that three enrolled hosts have reported to. */
class CliTest {
  static final String QWEN_A = "1".repeat(64);
  static final String QWEN_B = "2".repeat(64);
  static final String LLAMA = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  static TestController c;

  static ModelInfo model(String name, String digest, String format) {
    return ModelInfo.newBuilder()
        .setName(name)
        .setDigest(digest)
        .setFormat(format)
        .setSizeBytes(5L << 30)
        .setQuantization(format.equals("gguf") ? "Q4_K_M" : "nvfp4")
        .setBackend(format.equals("gguf") ? Backend.BACKEND_LLAMA_CPP : Backend.BACKEND_MLX)
        .build();
  }

  @BeforeAll
  static void fleet() throws Exception {
    c = new TestController(tmp.resolve("ctl"));
    String[][] hosts = {
      {"mac-a", "0.32.15", QWEN_A}, {"mac-b", "0.32.15", QWEN_B}, {"mac-c", "0.30.2", QWEN_A}
    };
    for (String[] h : hosts) {
      AgentState s = c.enroll(tmp.resolve(h[0]), h[0], "UUID-" + h[0]);
      c.agentStub(s.nodeKey())
          .report(TestController.report(
              s.enrollment().hostId,
              1,
              TestController.snapshot(
                  h[0],
                  h[1],
                  "M4",
                  model("qwen3.6:35b-a3b-nvfp4", h[2], "safetensors"),
                  model("llama3.2:latest", LLAMA, "gguf"))));
    }
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  @Test
  void hostsTableFitsAHundredColumnsAndWideShowsEveryColumn() {
    var r = c.cli("hosts");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .contains("NAME", "OS", "OLLAMA", "THERMAL", "POWER", "DOCK", "SWAP", "LAST SEEN", "STATUS")
        .doesNotContain("CHIP", "MEMORY", "BACKENDS");
    assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertThat(r.out())
        .contains("mac-a", "mac-b", "mac-c", "26.3.1 (a) (25D771280a)", "0.30.2", "online");

    var wide = c.cli("hosts", "--wide");
    assertThat(wide.out().lines().findFirst().orElseThrow())
        .contains(
            "NAME",
            "CHIP",
            "MEMORY",
            "OS",
            "OLLAMA",
            "BACKENDS",
            "MODELS",
            "LABELS",
            "LAST SEEN",
            "STATUS",
            "NOTES");
    assertThat(wide.out())
        .contains(
            "mac-a",
            "mac-b",
            "mac-c",
            "Apple M4 Pro",
            "64 GiB",
            "26.3.1 (a) (25D771280a)",
            "0.30.2",
            "llama.cpp,mlx",
            "online");
  }

  @Test
  void hostsJsonIsOneArrayWithNumbersLowercaseWordsAndNulls() throws Exception {
    var r = c.cli("hosts", "--json");
    assertThat(r.code()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.isArray()).isTrue();
    assertThat(n).hasSize(3);
    JsonNode a = n.get(0);
    assertThat(a.path("name").asText()).isEqualTo("mac-a");
    assertThat(a.path("ollama_version").asText()).isEqualTo("0.32.15");
    assertThat(a.path("status").asText()).isEqualTo("online");
    assertThat(a.path("ollama_state").asText()).isEqualTo("up");
    assertThat(a.path("model_count").isIntegralNumber()).isTrue();
    assertThat(a.path("model_count").asInt()).isEqualTo(2);
    assertThat(a.path("memory_bytes").isIntegralNumber())
        .isTrue(); // protobuf's JsonFormat: a string
    assertThat(a.path("memory_bytes").asLong()).isEqualTo(68_719_476_736L);
    assertThat(a.path("last_seen").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(a.get("agentless_state").isNull()).as("absent: null, not \"\"").isTrue();
    assertThat(a.get("agentless_at").isNull()).isTrue();
    assertThat(a.get("battery_percent").isNull()).isTrue();
  }

  @Test
  void hostShowsEveryModelWithItsFullDigest() throws Exception {
    var r = c.cli("host", "mac-b");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(QWEN_B, LLAMA, "safetensors", "nvfp4", "mlx", "Mac16,11", "25D771280a");
    JsonNode j = JSON.readTree(c.cli("host", "mac-b", "--json").out());
    assertThat(j.path("snapshot")
            .path("ollama")
            .path("models")
            .get(0)
            .path("digest")
            .asText())
        .isEqualTo(QWEN_B);
  }

  @Test
  void labelsSetAndRemove() {
    var r = c.cli("hosts", "label", "mac-c", "role=control", "rack=r2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("rack=r2,role=control");
    assertThat(c.cli("hosts", "label", "mac-c", "rack-").out()).contains("mac-c: role=control");
    assertThat(c.cli("hosts", "--wide").out()).contains("role=control");
    var bad = c.cli("hosts", "label", "mac-c", "Role=x;rm -rf");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("invalid label key");
    assertThat(c.cli("hosts", "label", "mac-c", "nonsense").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void driftNamesTheDriftedDigestAndTheOlderOllama() throws Exception {
    var r = c.cli("drift");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("qwen3.6:35b-a3b-nvfp4", QWEN_A + "  mac-a, mac-c", QWEN_B + "  mac-b");
    assertThat(r.out()).doesNotContain(LLAMA);
    assertThat(r.out()).contains("M4", "0.32.15  mac-a, mac-b", "0.30.2   mac-c");
    JsonNode j = JSON.readTree(c.cli("drift", "--json").out());
    assertThat(j.path("digests")).hasSize(1);
    assertThat(j.path("ollama_versions").get(0).path("chip_generation").asText())
        .isEqualTo("M4");
  }

  @Test
  void distinctExitCodes() throws Exception {
    var unknown = c.cli("host", "mac-zzz");
    assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("no host named 'mac-zzz'");
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    var down = TestController.cliRaw(
        "hosts", "--controller", "127.0.0.1:" + closed, "--data-dir", c.dataDir.toString());
    assertThat(down.code()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(down.err()).contains("nothing answers at 127.0.0.1:" + closed);
    var noCa = TestController.cliRaw(
        "hosts",
        "--controller",
        c.target(),
        "--data-dir",
        tmp.resolve("nowhere").toString());
    assertThat(noCa.code()).isNotZero();
    assertThat(noCa.err()).contains("admin token");
    var badAddr = c.cli("hosts", "--controller", "http://x");
    assertThat(badAddr.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(c.cli("no-such-command").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aMissingOptionPrintsItsErrorAndTheUsageLineNotTheWholeHelp() {
    var r = TestController.cliRaw("replay", "mac-a");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .startsWith("error: Missing required option: '--model=NAME'")
        .contains("macfleet replay [OPTIONS]", "(macfleet replay --help for every option)")
        .doesNotContain("Run a probe now"); // the description is the help's, not the error's
    assertThat(r.err().lines().count()).isLessThan(10);
    var typo = TestController.cliRaw("hots");
    assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("Did you mean: macfleet hosts");
  }
}
