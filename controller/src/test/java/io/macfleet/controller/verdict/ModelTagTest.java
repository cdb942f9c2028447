package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelTagTest {
  @Test
  void theQuantizationIsTheTagsLastPartWhenItNamesOne() {
    assertThat(ModelTag.of("qwen3.6:35b-a3b-nvfp4"))
        .isEqualTo(new ModelTag("qwen3.6:35b-a3b", "nvfp4"));
    assertThat(ModelTag.of("qwen3.6:35b-a3b-q4_K_M"))
        .isEqualTo(new ModelTag("qwen3.6:35b-a3b", "q4_k_m"));
    assertThat(ModelTag.of("llama3.2:3b-instruct-fp16").quantization()).isEqualTo("fp16");
    assertThat(ModelTag.of("gemma3:27b-it-qat").quantization()).isNull();
    assertThat(ModelTag.of("llama3.2:latest")).isEqualTo(new ModelTag("llama3.2:latest", null));
    assertThat(ModelTag.of("mistral")).isEqualTo(new ModelTag("mistral", null));
    assertThat(ModelTag.of("deep-seek:7b")).isEqualTo(new ModelTag("deep-seek:7b", null));
  }

  @Test
  void twoQuantizationsOfOneModelAreSiblingsAndNothingElseIs() {
    ModelTag nvfp4 = ModelTag.of("qwen3.6:35b-a3b-nvfp4");
    assertThat(ModelTag.of("qwen3.6:35b-a3b-q4_K_M").otherQuantizationOf(nvfp4)).isTrue();
    assertThat(nvfp4.otherQuantizationOf(nvfp4)).isFalse();
    assertThat(ModelTag.of("qwen3.6:8b-q4_K_M").otherQuantizationOf(nvfp4)).isFalse();
    assertThat(ModelTag.of("qwen3.6:latest").otherQuantizationOf(nvfp4)).isFalse();
  }
}
