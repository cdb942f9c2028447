package io.macfleet.agent.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.agent.Fixtures;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.ModelInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OllamaInventoryParserTest {
  @Test
  void versionFromRealCapture() throws Exception {
    assertThat(OllamaInventoryParser.version(Fixtures.read("ollama/api-version.docs.json")))
        .isEqualTo("0.5.1");
  }

  @Test
  void ggufTagsFromRealCaptureRunOnLlamaCpp() throws Exception {
    Map<String, ModelInfo.Builder> tags =
        OllamaInventoryParser.tags(Fixtures.read("ollama/api-tags.docs.json"));
    assertThat(tags).containsOnlyKeys("deepseek-r1:latest", "llama3.2:latest");
    ModelInfo.Builder m = tags.get("llama3.2:latest");
    assertThat(m.getDigest())
        .isEqualTo("a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72");
    assertThat(m.getSizeBytes()).isEqualTo(2019393189L);
    assertThat(m.getFormat()).isEqualTo("gguf");
    assertThat(m.getQuantization()).isEqualTo("Q4_K_M");
    assertThat(m.getFamily()).isEqualTo("llama");
    assertThat(m.getParameterSize()).isEqualTo("3.2B");
    assertThat(m.getBackend()).isEqualTo(Backend.BACKEND_LLAMA_CPP);
    assertThat(m.getModifiedAt().getSeconds()).isEqualTo(1746405464L); // 2025-05-04T17:37:44-07:00
  }

  @Test
  void safetensorsTagFromRealCaptureRunsOnMlxDespiteEmptyFamily() throws Exception {
    var tags = OllamaInventoryParser.tags(
        Fixtures.read("ollama/api-tags.mlx-safetensors.issue-15679.json"));
    ModelInfo.Builder m = tags.get("gemma4:26b-mxfp8");
    assertThat(m.getBackend()).isEqualTo(Backend.BACKEND_MLX);
    assertThat(m.getQuantization()).isEqualTo("mxfp8");
    assertThat(m.getFamily()).isEmpty();
    assertThat(m.getParameterSize()).isEmpty();
    assertThat(m.getDigest())
        .isEqualTo("3950c545841fdff310cc84e187ff0538e4a4962fff507e60caf2965cd3749a04");
  }

  @Test
  void psFromRealCaptureMarksLoadedAndMergesWithTags() throws Exception {
    List<ModelInfo.Builder> ps = OllamaInventoryParser.ps(Fixtures.read("ollama/api-ps.docs.json"));
    assertThat(ps).hasSize(1);
    assertThat(ps.get(0).getLoaded()).isTrue();
    assertThat(ps.get(0).getSizeVram()).isEqualTo(5137025024L);
    var tags = OllamaInventoryParser.tags(Fixtures.read("ollama/api-tags.docs.json"));
    List<ModelInfo> merged = OllamaInventoryParser.merge(tags, ps);
    // mistral is loaded but not in this tags capture: kept, not lost
    assertThat(merged)
        .extracting(ModelInfo::getName)
        .containsExactly("deepseek-r1:latest", "llama3.2:latest", "mistral:latest");
    assertThat(merged.get(2).getLoaded()).isTrue();
    assertThat(merged.get(0).getLoaded()).isFalse();
  }

  @Test
  void unknownFieldsAreIgnoredAndPrefixedDigestsNormalised() throws Exception {
    String body = "{\"models\":[{\"name\":\"x:1\",\"digest\":\"sha256:" + "AB".repeat(32)
        + "\",\"capabilities\":"
        + "[\"completion\"],\"remote_host\":\"h\",\"details\":{\"format\":\"gguf\",\"new_field\":{\"a\":1}}}],\"extra\":true}";
    var m = OllamaInventoryParser.tags(body).get("x:1");
    assertThat(m.getDigest()).isEqualTo("ab".repeat(32));
  }

  @Test
  void emptyStoreAnswersNullModels() throws Exception {
    assertThat(OllamaInventoryParser.tags("{\"models\":null}")).isEmpty();
    assertThat(OllamaInventoryParser.tags("{\"models\":[]}")).isEmpty();
  }

  @Test
  void garbageAndTruncatedBodiesGiveErrorsNamingTheEndpoint() {
    assertThatThrownBy(() -> OllamaInventoryParser.tags("<html>502 Bad Gateway</html>"))
        .isInstanceOf(OllamaException.class)
        .hasMessageContaining("/api/tags")
        .hasMessageContaining("invalid");
    assertThatThrownBy(
            () -> OllamaInventoryParser.tags("{\"models\":[{\"name\":\"llama3.2:latest\",\"dig"))
        .isInstanceOf(OllamaException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> OllamaInventoryParser.tags("{\"models\":\"oops\"}"))
        .isInstanceOf(OllamaException.class)
        .hasMessageContaining("not a list");
    assertThatThrownBy(() -> OllamaInventoryParser.version("{\"ver\":1}"))
        .isInstanceOf(OllamaException.class)
        .hasMessageContaining("no \"version\"");
    assertThatThrownBy(() -> OllamaInventoryParser.ps("[]"))
        .isInstanceOf(OllamaException.class)
        .hasMessageContaining("/api/ps");
  }

  @Test
  void modelWithoutANameIsSkippedTheRestKept() throws Exception {
    var tags = OllamaInventoryParser.tags("{\"models\":[{\"size\":1},{\"name\":\"ok:1\"}]}");
    assertThat(tags).containsOnlyKeys("ok:1");
  }

  @Test
  void showDeclaresTheArchitectureParameterCountAndDtypeBesideTheDigest() throws Exception {
    var d = OllamaInventoryParser.show(Fixtures.read("ollama/api-show.docs.json"));
    assertThat(d.architecture()).isEqualTo("llama");
    assertThat(d.parameterCount()).isEqualTo(8_030_261_248L);
    assertThat(d.dtype()).isEqualTo("Q4_0");
    // no quantization level: the GGUF file type's number; hostile lengths are cut
    var bare =
        OllamaInventoryParser.show("{\"details\":{},\"model_info\":{\"general.file_type\":15,"
            + "\"general.architecture\":\"" + "x".repeat(500) + "\"}}");
    assertThat(bare.dtype()).isEqualTo("file_type 15");
    assertThat(bare.architecture()).hasSize(64);
    assertThat(bare.parameterCount()).isZero();
    assertThatThrownBy(() -> OllamaInventoryParser.show("[]"))
        .isInstanceOf(OllamaException.class)
        .hasMessageContaining("/api/show");
  }
}
