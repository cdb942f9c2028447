package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictFoldTest {
  private static JsonNode v(String host, String run, String verdict, String factors)
      throws Exception {
    return new ObjectMapper()
        .readTree("{\"host\":\"" + host + "\",\"model\":\"m:1\",\"run\":\"" + run
            + "\",\"concurrency\":1,\"verdict\":\"" + verdict + "\",\"factors\":" + factors + "}");
  }

  @Test
  void identicalVerdictsOfAHostFoldIntoOneRowWithTheNewestFirst() throws Exception {
    List<JsonNode> newestFirst = new ArrayList<>(List.of(
        v("mac-a", "r9", "environment", "[\"thermal\"]"),
        v("mac-b", "r8", "no_change", "[]"),
        v("mac-a", "r7", "environment", "[\"thermal\"]"),
        v("mac-a", "r6", "environment", "[\"battery\"]"),
        v("mac-a", "r5", "environment", "[\"thermal\"]")));
    List<VerdictsCommand.Folded> rows = VerdictsCommand.fold(newestFirst);
    assertThat(rows)
        .extracting(f -> f.newest().path("run").asText() + "×" + f.count())
        .containsExactly("r9×3", "r8×1", "r6×1");
  }
}
