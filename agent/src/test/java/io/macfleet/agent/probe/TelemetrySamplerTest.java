package io.macfleet.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.Fixtures;
import io.macfleet.agent.collect.HostCollectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-second sampling during a run, on real captured outputs that change under it: a docked laptop that is
 * undocked mid-run is "mobile" for the run, and heavy thermal pressure at any second is the run's worst.
 */
class TelemetrySamplerTest {
  /** Until the condition holds; fails after ten seconds. */
  private static void until(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void theRunKeepsItsWorstSecond(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("pmset-batt.txt"),
        Fixtures.read("macos/pmset-g-batt.idx70882299836-16GB-2026-charging.txt"));
    Files.writeString(
        dir.resolve("system_profiler-displays.txt"),
        Fixtures.read(
            "macos/system_profiler-SPDisplaysDataType.idx30449920279-M1-plus-external-LG.INDENT-SHIFTED.txt"));
    Files.writeString(
        dir.resolve("notifyutil-thermal.txt"), "com.apple.system.thermalpressurelevel 0\n");
    ProbeRun.TelemetryDuringRun docked;
    try (TelemetrySampler s =
        new TelemetrySampler(HostCollectors.replay(dir), Duration.ofMillis(50))) {
      until(() -> s.summary().samples() >= 2);
      docked = s.summary();
    }
    assertThat(docked.mobility()).isEqualTo("docked");
    assertThat(docked.maxThermalLevel()).isEqualTo("nominal");

    try (TelemetrySampler s =
        new TelemetrySampler(HostCollectors.replay(dir), Duration.ofMillis(50))) {
      until(() -> s.summary().samples() >= 2);
      // mid-run: off the dock and on battery, and hot
      Files.writeString(
          dir.resolve("pmset-batt.txt"),
          Fixtures.read("macos/pmset-g-batt.spaceship-640-discharging-2019.txt"));
      Files.writeString(
          dir.resolve("system_profiler-displays.txt"),
          Fixtures.read(
              "macos/system_profiler-SPDisplaysDataType.idx62694921562-Mac14-2-M2-internal-only.txt"));
      Files.writeString(
          dir.resolve("notifyutil-thermal.txt"), "com.apple.system.thermalpressurelevel 2\n");
      until(() -> "mobile".equals(s.summary().mobility()));
      int hot = s.summary().samples();
      Files.writeString(
          dir.resolve("notifyutil-thermal.txt"), "com.apple.system.thermalpressurelevel 0\n");
      until(() -> s.summary().samples() >= hot + 3); // sampled again after it cooled
      ProbeRun.TelemetryDuringRun run = s.summary();
      assertThat(run.mobility()).isEqualTo("mobile");
      assertThat(run.maxThermalLevel())
          .isEqualTo("heavy"); // it cooled again; the run keeps its worst
      assertThat(run.powerSources()).contains("battery");
    }
  }
}
