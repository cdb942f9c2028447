package io.macfleet.agent.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.simulator.OllamaSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OllamaSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST =
      "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72";

  static String profile(String version, String digest) {
    return "{\"version\":\"" + version + "\",\"models\":["
        + "{\"name\":\"llama3.2:latest\",\"digest\":\"" + digest
        + "\",\"size\":2019393189,\"format\":\"gguf\","
        + "\"family\":\"llama\",\"quantization_level\":\"Q4_K_M\"},"
        + "{\"name\":\"qwen3.6:35b-a3b-nvfp4\",\"digest\":\"" + "c".repeat(64) + "\",\"size\":1,"
        + "\"format\":\"safetensors\",\"quantization_level\":\"nvfp4\",\"loaded\":true}],"
        + "\"timing\":{\"load_ms\":50,\"prefill_tokens_per_s\":5000,\"decode_tokens_per_s\":500}}";
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void inventoryInOllamasShapeReadByTheRealCollector(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, profile("0.32.15", DIGEST));
    try (OllamaSimulator sim = OllamaSimulator.start(p, 0)) {
      OllamaInventory inv = new OllamaInventoryCollector(new OllamaClient(sim.url())).collect();
      assertThat(inv.getVersion()).isEqualTo("0.32.15");
      assertThat(inv.getModelsList()).hasSize(2);
      var mlx = inv.getModelsList().stream()
          .filter(m -> m.getFormat().equals("safetensors"))
          .findFirst()
          .orElseThrow();
      assertThat(mlx.getBackend()).isEqualTo(Backend.BACKEND_MLX);
      assertThat(mlx.getLoaded()).isTrue();
      assertThat(mlx.getExpiresAt().getSeconds()).isGreaterThan(Instant.now().getEpochSecond());
    }
  }

  @Test
  void streamsNdjsonWithNanosecondMetricsOnTheFinalLine(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, profile("0.32.15", DIGEST));
    try (OllamaSimulator sim = OllamaSimulator.start(p, 0)) {
      HttpResponse<String> r = post(
          sim.url() + "/api/generate",
          "{\"model\":\"llama3.2\",\"prompt\":\"why is the sky blue? please answer\",\"options\":{\"num_predict\":5}}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/x-ndjson");
      List<String> lines = r.body().lines().toList();
      assertThat(lines).hasSize(6);
      JsonNode first = JSON.readTree(lines.get(0));
      assertThat(first.path("done").asBoolean()).isFalse();
      assertThat(first.path("response").asText()).isNotEmpty();
      Instant.parse(first.path("created_at").asText());
      JsonNode last = JSON.readTree(lines.get(5));
      assertThat(last.path("done").asBoolean()).isTrue();
      assertThat(last.path("done_reason").asText()).isEqualTo("length");
      assertThat(last.path("eval_count").asInt()).isEqualTo(5);
      // 5 tokens at 500 tok/s is 10 ms: nanoseconds, not milliseconds
      assertThat(last.path("eval_duration").asLong()).isGreaterThan(5_000_000L);
      assertThat(last.path("load_duration").asLong())
          .isGreaterThanOrEqualTo(50_000_000L); // cold load
      assertThat(last.path("total_duration").asLong())
          .isGreaterThan(last.path("eval_duration").asLong());
    }
  }

  @Test
  void chatUnknownModelAndUnload(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, profile("0.32.15", DIGEST));
    try (OllamaSimulator sim = OllamaSimulator.start(p, 0)) {
      HttpResponse<String> chat = post(
          sim.url() + "/api/chat",
          "{\"model\":\"llama3.2:latest\",\"stream\":false,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],\"options\":{\"num_predict\":3}}");
      JsonNode c = JSON.readTree(chat.body());
      assertThat(c.path("message").path("content").asText()).isNotEmpty();
      assertThat(c.path("done").asBoolean()).isTrue();

      HttpResponse<String> missing =
          post(sim.url() + "/api/generate", "{\"model\":\"nope\",\"prompt\":\"x\"}");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(missing.body()).path("error").asText())
          .isEqualTo("model 'nope' not found");

      HttpResponse<String> unload = post(
          sim.url() + "/api/generate", "{\"model\":\"qwen3.6:35b-a3b-nvfp4\",\"keep_alive\":0}");
      assertThat(JSON.readTree(unload.body()).path("done_reason").asText()).isEqualTo("unload");
      String ps = new OllamaClient(sim.url()).get("/api/ps");
      assertThat(OllamaInventoryParser.ps(ps))
          .extracting(b -> b.getName())
          .containsExactly("llama3.2:latest");
    }
  }

  @Test
  void picksUpAChangedProfileLikeAnUpgradedOllama(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, profile("0.32.15", DIGEST));
    try (OllamaSimulator sim = OllamaSimulator.start(p, 0)) {
      Files.writeString(p, profile("0.33.0", "d".repeat(64)));
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(5)));
      OllamaInventory inv = new OllamaInventoryCollector(new OllamaClient(sim.url())).collect();
      assertThat(inv.getVersion()).isEqualTo("0.33.0");
      assertThat(inv.getModels(0).getDigest()).isEqualTo("d".repeat(64));
    }
  }

  @Test
  void rejectsABadProfileClearly(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"version\":\"1\",\"models\":[{\"name\":\"m\",\"digest\":\"xyz\"}]}");
    assertThatThrownBy(() -> OllamaSimulator.start(p, 0)).hasMessageContaining("models[0].digest");
    Files.writeString(p, "{not json");
    assertThatThrownBy(() -> OllamaSimulator.start(p, 0)).hasMessageContaining("not valid JSON");
  }

  @Test
  void aMissingProfileIsNamedAsMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OllamaSimulator.start(dir.resolve("nope.json"), 0))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("nope.json does not exist")
        .hasMessageContaining("version, models and timing");
  }

  @Test
  void theExampleProfileInTheRepositoryServesItsModels() throws Exception {
    Path example = Path.of("../simulator/examples/profile.json");
    try (OllamaSimulator sim = OllamaSimulator.start(example, 0)) {
      OllamaInventory inv = new OllamaInventoryCollector(new OllamaClient(sim.url())).collect();
      assertThat(inv.getVersion()).isEqualTo("0.32.15");
      assertThat(inv.getModelsList())
          .extracting(m -> m.getName())
          .containsExactlyInAnyOrder("qwen3.6:35b-a3b-nvfp4", "llama3.2:latest");
      assertThat(inv.getModelsList())
          .filteredOn(m -> m.getName().startsWith("qwen"))
          .extracting(m -> m.getBackend())
          .containsExactly(Backend.BACKEND_MLX);
    }
  }

  @Test
  void theInventoryCarriesWhatShowDeclaresEvenWhenItDiffersFromTheTagsList(@TempDir Path dir)
      throws Exception {
    Path profile = dir.resolve("p.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.33.0\",\"models\":[{\"name\":\"qwen3.6:35b-a3b-nvfp4\",\"digest\":\""
            + "c".repeat(64) + "\",\"format\":\"safetensors\",\"family\":\"qwen35moe\","
            + "\"quantization_level\":\"nvfp4\",\"declared_quantization\":\"mxfp8\","
            + "\"parameter_count\":36000000000}]}");
    try (OllamaSimulator sim = OllamaSimulator.start(profile, 0)) {
      var m =
          new OllamaInventoryCollector(new OllamaClient(sim.url())).collect().getModels(0);
      assertThat(m.getQuantization()).isEqualTo("nvfp4"); // what /api/tags lists
      assertThat(m.getDeclaredDtype()).isEqualTo("mxfp8"); // what the runner declares it loads
      assertThat(m.getArchitecture()).isEqualTo("qwen35moe");
      assertThat(m.getParameterCount()).isEqualTo(36_000_000_000L);
    }
  }
}
