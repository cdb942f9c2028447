package io.macfleet.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.Fixtures;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.LidState;
import io.macfleet.proto.v1.MemoryPressure;
import io.macfleet.proto.v1.Mobility;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.ThermalLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The macOS collectors end to end, on a directory of real captured outputs (what `collect --replay` reads). */
class ReplayCollectTest {
  static void put(Path dir, String kind, String fixture) throws Exception {
    Files.writeString(dir.resolve(kind + ".txt"), Fixtures.read("macos/" + fixture));
  }

  static Map<String, CollectorStatus> statuses(Telemetry t) {
    return t.getCollectorsList().stream()
        .collect(Collectors.toMap(CollectorStatus::getName, s -> s));
  }

  static HostSnapshot collect(Path dir) {
    return new SnapshotCollector(
            HostCollectors.replay(dir), null, null, Duration.ZERO, Clock.systemUTC())
        .collect(15, 0);
  }

  @Test
  void anM1ProLaptopOnBatteryWithAnExternalDisplay(@TempDir Path dir) throws Exception {
    put(dir, "sw_vers", "sw_vers.idx64762307-m1pro-12.6-single-tab.txt");
    put(dir, "sysctl", "sysctl-hw-machdep-kern.ansible-m1pro-14.4.1.txt");
    put(dir, "pmset-batt", "pmset-g-batt.spaceship-640-discharging-2019.txt");
    put(dir, "pmset-therm", "pmset-g-therm.exelban-stats-749-m1pro-macos12.1.txt");
    put(
        dir,
        "notifyutil-thermal",
        "notifyutil-g-thermalpressurelevel.stanislas-blog-Mac14-2-26.1.txt");
    put(
        dir,
        "pmset-assertions",
        "pmset-g-assertions.idx67130595503-2026-caffeinate-dims.FRAGMENT-ELIDED.txt");
    put(dir, "pmset-settings", "pmset-g.aldente-603-arm64-2022.POSTER-ADDED-BOLD-MARKERS.txt");
    put(dir, "pmset-stats", "pmset-g-stats.idx38037926670-notes.FRAGMENT.txt");
    put(dir, "vm_stat", "vm_stat.ansible-m1pro-14.4.1.txt");
    put(dir, "memory_pressure", "memory_pressure.idx54751843474-32GB-16k-pages.txt");
    put(
        dir,
        "system_profiler-displays",
        "system_profiler-SPDisplaysDataType.idx30449920279-M1-plus-external-LG.INDENT-SHIFTED.txt");
    Files.writeString(
        dir.resolve("ollama-server-log.txt"),
        "time=2026-11-20T09:00:00.000+01:00 level=INFO "
            + "source=routes.go:1554 msg=\"server config\" env=\"map[HTTPS_PROXY: OLLAMA_CONTEXT_LENGTH:8192 "
            + "OLLAMA_FLASH_ATTENTION:true OLLAMA_KEEP_ALIVE:5m0s OLLAMA_KV_CACHE_TYPE: OLLAMA_MAX_LOADED_MODELS:0 "
            + "OLLAMA_NUM_PARALLEL:1 OLLAMA_ORIGINS:[http://localhost https://localhost]]\"\n");

    HostSnapshot s = collect(dir);
    assertThat(s.getIdentity().getOsVersion()).isEqualTo("12.6");
    assertThat(s.getIdentity().getModelId()).isEqualTo("MacBookPro18,1");
    assertThat(s.getIdentity().getChipGeneration()).isEqualTo("M1");
    assertThat(s.getIdentity().getChipTier()).isEqualTo("Pro");
    assertThat(s.getIdentity().getMemoryBytes()).isEqualTo(34359738368L);
    assertThat(s.getIdentity().getPerformanceCores()).isEqualTo(8);
    assertThat(s.getIdentity().getEfficiencyCores()).isEqualTo(2);
    assertThat(s.getIdentity().getVirtualMachine()).isFalse();

    Telemetry t = s.getTelemetry();
    assertThat(t.getThermal().getLevel()).isEqualTo(ThermalLevel.THERMAL_NOMINAL);
    assertThat(t.getThermal().getSource()).isEqualTo("notifyutil");
    assertThat(t.getThermal().hasCpuSpeedLimitPercent())
        .isFalse(); // Apple Silicon pmset therm has none
    assertThat(t.getPower().getSource()).isEqualTo(PowerSource.POWER_BATTERY);
    assertThat(t.getPower().getBatteryPercent()).isEqualTo(95);
    assertThat(t.getPower().getMinutesRemaining()).isEqualTo(186);
    assertThat(t.getPower().getLowPowerMode()).isFalse();
    assertThat(t.getSleep().getPreventersList())
        .extracting(p -> p.getProcess())
        .containsExactly("Claude", "caffeinate", "caffeinate");
    assertThat(t.getSleep().getLastWake().getSeconds()).isPositive();
    assertThat(t.getSleep().getWakeReason()).isEqualTo("NUB.SPMISw3IRQ nub-spmi0.0x02 rtc");
    assertThat(t.getSleep().getSleepCount()).isZero();
    assertThat(t.getSleep().getExternalDisplay()).isTrue();
    assertThat(t.getSleep().getMobility())
        .isEqualTo(Mobility.MOBILITY_MOBILE); // on battery: not docked
    assertThat(t.getMemory().getCompressorBytes()).isEqualTo(424276L * 16384);
    assertThat(t.getMemory().getSwapins()).isEqualTo(385871);
    assertThat(t.getMemory().getFreePercent()).isEqualTo(88);
    assertThat(t.getBootTime().getSeconds()).isEqualTo(1711644864L);
    assertThat(t.getOllamaSettingsMap())
        .containsEntry("OLLAMA_CONTEXT_LENGTH", "8192")
        .containsEntry("OLLAMA_NUM_PARALLEL", "1")
        .containsEntry("OLLAMA_FLASH_ATTENTION", "true")
        .containsEntry("OLLAMA_KV_CACHE_TYPE", "")
        .containsEntry("OLLAMA_KEEP_ALIVE", "5m0s");
    assertThat(statuses(t).values()).allMatch(c -> c.getOutcome() == CollectorStatus.Outcome.OK);

    // `collect --replay DIR --json` prints it in the CLI's one JSON style: numbers as numbers
    // (64-bit
    // ones too), enum values as lowercase words, null for what is absent
    java.io.StringWriter out = new java.io.StringWriter();
    int code = io.macfleet.agent.cli.AgentMain.run(
        new java.io.PrintWriter(out),
        new java.io.PrintWriter(new java.io.StringWriter()),
        "collect",
        "--replay",
        dir.toString(),
        "--json");
    assertThat(code).isZero();
    com.fasterxml.jackson.databind.JsonNode j =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertThat(j.path("identity").path("memory_bytes").isIntegralNumber()).isTrue();
    assertThat(j.path("identity").path("memory_bytes").asLong()).isEqualTo(34359738368L);
    assertThat(j.path("telemetry").path("power").path("source").asText()).isEqualTo("battery");
    assertThat(j.path("telemetry").path("thermal").path("level").asText()).isEqualTo("nominal");
  }

  @Test
  void aDockedLaptopAndADesktop(@TempDir Path dir) throws Exception {
    put(dir, "pmset-batt", "pmset-g-batt.idx70882299836-16GB-2026-charging.txt");
    put(
        dir,
        "system_profiler-displays",
        "system_profiler-SPDisplaysDataType.idx30449920279-M1-plus-external-LG.INDENT-SHIFTED.txt");
    put(dir, "sysctl", "sysctl-vm.swapusage.idx70882299836-16GB-2026.txt");
    Telemetry docked = collect(dir).getTelemetry();
    assertThat(docked.getSleep().getMobility()).isEqualTo(Mobility.MOBILITY_DOCKED);
    assertThat(docked.getMemory().getSwapUsedBytes()).isEqualTo(Math.round(990.81 * (1 << 20)));

    Files.writeString(dir.resolve("pmset-batt.txt"), "Now drawing from 'AC Power'\n");
    Files.writeString(
        dir.resolve("ioreg-clamshell.txt"),
        "+-o IOPMrootDomain  <class IOPMrootDomain>\n"
            + "  |   \"Last Sleep Reason\" = \"Software Sleep\"\n");
    Telemetry desktop = collect(dir).getTelemetry();
    assertThat(desktop.getPower().getHasBattery()).isFalse();
    assertThat(desktop.getSleep().getLid()).isEqualTo(LidState.LID_NONE);
    assertThat(desktop.getSleep().getMobility()).isEqualTo(Mobility.MOBILITY_DESKTOP);
  }

  @Test
  void powermetricsWinsOverNotifyutilWhenPresent(@TempDir Path dir) throws Exception {
    put(
        dir,
        "powermetrics",
        "powermetrics-samplers-thermal.idx56499336401-Mac16-12-25F84-nominal.txt");
    Files.writeString(
        dir.resolve("notifyutil-thermal.txt"), "com.apple.system.thermalpressurelevel 2\n");
    Telemetry t = collect(dir).getTelemetry();
    assertThat(t.getThermal().getSource()).isEqualTo("powermetrics");
    assertThat(t.getThermal().getLevel()).isEqualTo(ThermalLevel.THERMAL_NOMINAL);
    Files.delete(dir.resolve("powermetrics.txt"));
    Telemetry heavy = collect(dir).getTelemetry();
    assertThat(heavy.getThermal().getLevel()).isEqualTo(ThermalLevel.THERMAL_HEAVY);
    assertThat(heavy.getThermal().getThrottled()).isTrue();
  }

  @Test
  void aFailingCollectorIsReportedAndTheRestCarryOn(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pmset-batt.txt"), "pmset: unable to contact powerd\n");
    put(dir, "sysctl", "sysctl-vm.ansible-test_sysctl-2020.PARTIAL.txt");
    Telemetry t = collect(dir).getTelemetry();
    Map<String, CollectorStatus> s = statuses(t);
    assertThat(s.get("power").getOutcome()).isEqualTo(CollectorStatus.Outcome.FAILED);
    assertThat(s.get("power").getMessage())
        .startsWith("unrecognised output:")
        .contains("Now drawing from");
    assertThat(s.get("memory").getOutcome()).isEqualTo(CollectorStatus.Outcome.OK);
    assertThat(t.getMemory().getSwapTotalBytes()).isEqualTo(2048L << 20);
    assertThat(s.get("thermal").getOutcome()).isEqualTo(CollectorStatus.Outcome.NOT_APPLICABLE);
    assertThat(s.get("uptime").getOutcome())
        .isEqualTo(CollectorStatus.Outcome.FAILED); // sysctl had no boottime
    assertThat(t.getMemory().getPressure()).isEqualTo(MemoryPressure.MEMORY_PRESSURE_UNSPECIFIED);
    assertThat(t.getSleep().getMobility()).isEqualTo(Mobility.MOBILITY_UNSPECIFIED);
  }
}
