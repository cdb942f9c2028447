package io.macfleet.controller.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An agent's run record (as `macfleet-agent probe --json` writes it) in the interchange's terms. */
class AgentRunMapperTest {
  private static String run(String mobility, String thermal, boolean slept) {
    return "{\"options\":{\"model\":\"m:1\",\"prompt_set\":\"coding\"},\"started_at\":\"2026-11-22T10:00:00Z\","
        + "\"ended_at\":\"2026-11-22T10:04:00Z\",\"triple_at_start\":{\"ollama_version\":\"0.19.0\",\"model_digest\":\""
        + "a".repeat(64) + "\",\"model_format\":\"safetensors\",\"os_build\":\"24E263\"},"
        + "\"samples\":[{\"concurrency\":1,\"phase\":\"warmup\",\"at\":\"2026-11-22T10:00:01Z\",\"ttft_ms\":900.0,"
        + "\"error\":\"NONE\"},{\"concurrency\":1,\"phase\":\"steady\",\"at\":\"2026-11-22T10:00:02Z\",\"ttft_ms\":"
        + "210.5,\"prefill_tokens_per_second\":1800.0,\"decode_tokens_per_second\":110.0,\"eval_count\":32,"
        + "\"error\":\"NONE\"},{\"concurrency\":4,\"phase\":\"steady\",\"error\":\"HUNG\"}],"
        + "\"telemetry\":{\"samples\":240,\"max_thermal_level\":\"" + thermal
        + "\",\"power_sources\":[\"ac\"],"
        + "\"swap_used_avg_last90s_bytes\":1.5E9,\"worst_memory_pressure\":\"normal\",\"slept_or_woke\":"
        + slept
        + ",\"mobility\":\"" + mobility + "\"}}";
  }

  @Test
  void triplesSamplesAndTheRunWindowsEnvironment() throws Exception {
    AgentRunMapper.Mapped m =
        AgentRunMapper.map("r-1", "mac-a", "scheduled", run("mobile", "heavy", true));
    assertThat(m.run().backend()).isEqualTo("mlx");
    assertThat(m.run().digest()).isEqualTo("a".repeat(64));
    assertThat(m.run().promptSet()).isEqualTo("coding");
    assertThat(m.samples()).extracting(Records.Sample::cold).containsExactly(true, false, false);
    assertThat(m.samples().get(2).error()).isEqualTo("hung");
    assertThat(m.samples().get(1).decodeTps()).isEqualTo(110.0);
    Records.Telemetry t = m.telemetry().orElseThrow();
    assertThat(t.at()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    assertThat(t.thermalPressure()).isEqualTo("heavy");
    assertThat(t.powerSource()).isEqualTo("ac");
    assertThat(t.swapUsedBytes()).isEqualTo(1_500_000_000L);
    assertThat(t.externalDisplay()).isFalse(); // on its own: the undocked factor can see it
    assertThat(m.sleep()).isPresent();
    assertThat(AgentRunMapper.map("r-2", "mac-a", "scheduled", run("docked", "", false))
            .telemetry()
            .orElseThrow()
            .externalDisplay())
        .isTrue();
    assertThat(AgentRunMapper.map("r-3", "mac-a", "scheduled", run("desktop", "", false))
            .telemetry()
            .orElseThrow()
            .externalDisplay())
        .isNull();
  }

  @Test
  void aRunFromAnAgentWhoseClockIsOffIsPlacedOnTheControllersClock() throws Exception {
    // the agent's clock was 3 days ahead: every time in its record moves back by that
    AgentRunMapper.Mapped m = AgentRunMapper.map(
        "r-1", "mac-a", "scheduled", run("mobile", "heavy", true), java.time.Duration.ofDays(3));
    assertThat(m.run().startedAt()).isEqualTo(Instant.parse("2026-11-19T10:00:00Z"));
    assertThat(m.run().endedAt()).isEqualTo(Instant.parse("2026-11-19T10:04:00Z"));
    assertThat(m.samples().get(1).at()).isEqualTo(Instant.parse("2026-11-19T10:00:02Z"));
    assertThat(m.samples().get(2).at()).isNull();
    assertThat(m.telemetry().orElseThrow().at()).isEqualTo(Instant.parse("2026-11-19T10:00:00Z"));
  }
}
