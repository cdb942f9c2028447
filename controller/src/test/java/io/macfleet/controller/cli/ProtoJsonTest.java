package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Timestamp;
import io.macfleet.proto.v1.Admin;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.Common;
import io.macfleet.proto.v1.HostStatus;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.LevelResult;
import io.macfleet.proto.v1.RunPurpose;
import io.macfleet.proto.v1.RunStatus;
import io.macfleet.proto.v1.RunSummary;
import io.macfleet.proto.v1.TelemetryOuterClass;
import io.macfleet.shared.EnumWords;
import io.macfleet.shared.ProtoJson;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {
  @Test
  void enumValuesAreLowercaseWordsWithoutTheirPrefixAndUnsetIsNull() {
    assertThat(EnumWords.word(HostStatus.HOST_ONLINE)).isEqualTo("online");
    assertThat(EnumWords.word(Backend.BACKEND_LLAMA_CPP)).isEqualTo("llama_cpp");
    assertThat(EnumWords.word(RunStatus.RUN_INCOMPLETE)).isEqualTo("incomplete");
    assertThat(EnumWords.word(RunPurpose.PURPOSE_CONTROL_REPLAY)).isEqualTo("control_replay");
    assertThat(EnumWords.word(HostStatus.HOST_STATUS_UNSPECIFIED)).isNull();
    // every enum of the contract: each named value reads as a distinct, non-empty word
    Stream.of(Admin.getDescriptor(), Common.getDescriptor(), TelemetryOuterClass.getDescriptor())
        .flatMap(f -> f.getEnumTypes().stream())
        .forEach(ProtoJsonTest::wordsAreDistinctAndNonEmpty);
  }

  private static void wordsAreDistinctAndNonEmpty(EnumDescriptor type) {
    List<String> words = type.getValues().stream()
        .filter(v -> v.getNumber() != 0)
        .map(EnumWords::word)
        .toList();
    assertThat(words).as(type.getName()).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(words).as(type.getName()).allMatch(w -> w.matches("[a-z][a-z0-9_]*"));
    for (EnumValueDescriptor v : type.getValues()) {
      if (v.getNumber() != 0) {
        assertThat(v.getName().toLowerCase()).endsWith(EnumWords.word(v));
      }
    }
  }

  @Test
  void numbersAreNumbersAbsentIsNullAndTimesAreIso8601() throws Exception {
    HostSummary h = HostSummary.newBuilder()
        .setName("mac-a")
        .setMemoryBytes(-1L) // uint64 max: beyond a Java long, still a JSON number
        .setClockSkewMs(-1500)
        .setLastSeen(Timestamp.newBuilder().setSeconds(1_764_504_000L).setNanos(5_000_000))
        .putLabels("role", "control")
        .addBackends("mlx")
        .setStatus(HostStatus.HOST_STALE)
        .build();
    JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ProtoJson.json(h));
    assertThat(n.path("memory_bytes").isBigInteger()).isTrue();
    assertThat(n.path("memory_bytes").asText()).isEqualTo("18446744073709551615");
    assertThat(n.path("clock_skew_ms").isIntegralNumber()).isTrue();
    assertThat(n.path("clock_skew_ms").asLong()).isEqualTo(-1500);
    assertThat(n.path("last_seen").asText()).isEqualTo("2025-11-30T12:00:00.005Z");
    assertThat(n.get("enrolled_at").isNull()).as("an unset timestamp").isTrue();
    assertThat(n.get("chip").isNull()).as("an empty string").isTrue();
    assertThat(n.get("battery_percent").isNull()).as("an unset optional").isTrue();
    assertThat(n.get("ollama_state").isNull()).as("an unspecified enum").isTrue();
    assertThat(n.path("status").asText()).isEqualTo("stale");
    assertThat(n.path("labels").path("role").asText()).isEqualTo("control");
    assertThat(n.path("backends").isArray()).isTrue();
    assertThat(n.path("connected").isBoolean()).isTrue();
  }

  @Test
  void aNonFiniteFigureIsNullAndAListingIsOneArray() throws Exception {
    RunSummary r = RunSummary.newBuilder()
        .setId("r-1")
        .setStatus(RunStatus.RUN_DONE)
        .setPurpose(RunPurpose.PURPOSE_MANUAL)
        .addLevels(LevelResult.newBuilder().setConcurrency(4).setTtftP50Ms(Double.NaN))
        .build();
    JsonNode a =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(ProtoJson.array(List.of(r, r)));
    assertThat(a.isArray()).isTrue();
    assertThat(a).hasSize(2);
    assertThat(a.get(0).path("status").asText()).isEqualTo("done");
    assertThat(a.get(0).path("purpose").asText()).isEqualTo("manual");
    assertThat(a.get(0).path("levels").get(0).get("ttft_p50_ms").isNull()).isTrue();
    assertThat(a.get(0).path("levels").get(0).path("concurrency").asInt()).isEqualTo(4);
  }
}
