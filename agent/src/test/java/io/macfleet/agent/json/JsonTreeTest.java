package io.macfleet.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.agent.Fixtures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The agent's small JSON tree, on a real /api/show answer and on what a hostile or broken peer sends. */
class JsonTreeTest {
  @Test
  void readsARealShowAnswer() throws Exception {
    JsonTree.Node n = JsonTree.parse(Fixtures.read("ollama/api-show.docs.json"));
    assertThat(n.isObject()).isTrue();
    assertThat(n.path("details").path("quantization_level").asText("")).isEqualTo("Q4_0");
    assertThat(n.path("model_info").path("general.parameter_count").isIntegralNumber())
        .isTrue();
    assertThat(n.path("model_info").path("general.parameter_count").asLong(0))
        .isEqualTo(8030261248L);
    assertThat(n.path("capabilities").isArray()).isTrue();
    assertThat(n.path("capabilities").elements()).isNotEmpty();
    assertThat(n.path("no such").path("deeper").asText("d")).isEqualTo("d");
    assertThat(n.get("no such")).isNull();
  }

  @Test
  void scalarsReadAsJacksonsAccessorsDo() throws Exception {
    JsonTree.Node n = JsonTree.parse(
        "{\"s\":\"x\",\"i\":42,\"big\":12345678901234,\"d\":1.5,\"t\":true,\"z\":null,\"n\":\"17\"}");
    assertThat(n.path("i").asText()).isEqualTo("42");
    assertThat(n.path("big").asLong(0)).isEqualTo(12345678901234L);
    assertThat(n.path("big").asInt(-1)).isEqualTo(-1); // out of an int's range: the default
    assertThat(n.path("d").asLong(0)).isEqualTo(1);
    assertThat(n.path("d").asDouble(0)).isEqualTo(1.5);
    assertThat(n.path("n").asLong(0)).isEqualTo(17);
    assertThat(n.path("t").asBoolean(false)).isTrue();
    assertThat(n.path("z").isNull()).isTrue();
    assertThat(n.path("z").asText("dflt")).isEqualTo("dflt");
    assertThat(n.has("z")).isTrue();
    assertThat(n.has("missing")).isFalse();
    assertThat(n.path("s").path(0).isMissingNode()).isTrue();
  }

  @Test
  void brokenTruncatedOrDoubledJsonIsAnError() {
    assertThatThrownBy(() -> JsonTree.parse("{\"models\":[{\"name\":\"a\""))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> JsonTree.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> JsonTree.parse("{} {}")).hasMessageContaining("more than one");
    assertThatThrownBy(() -> JsonTree.parse("[".repeat(5000))).isInstanceOf(IOException.class);
  }

  @Test
  void quotingEscapesWhatAJsonStringMust() {
    assertThat(JsonTree.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
  }
}
