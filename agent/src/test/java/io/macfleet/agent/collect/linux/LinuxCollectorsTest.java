package io.macfleet.agent.collect.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.MemoryPressure;
import io.macfleet.proto.v1.Mobility;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.ThermalLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Linux collectors over a /proc and /sys tree laid out like a laptop's, and over this machine's real one. */
class LinuxCollectorsTest {
  static void write(Path root, String rel, String content) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  @Test
  void aHotLaptopOnBatteryThatSwaps(@TempDir Path root) throws Exception {
    write(
        root,
        "proc/meminfo",
        "MemTotal: 16000000 kB\nMemAvailable: 4000000 kB\nSwapTotal: 2097152 kB\nSwapFree: 1048576 kB\n");
    write(root, "proc/vmstat", "pgpgout 100\npswpin 12\npswpout 34\n");
    write(
        root,
        "proc/pressure/memory",
        "some avg10=23.50 avg60=5.00 avg300=1.00 total=1\nfull avg10=2.00 avg60=0.00 avg300=0.00 total=1\n");
    write(root, "proc/uptime", "3600.50 7000.00\n");
    write(root, "sys/class/thermal/thermal_zone0/temp", "97000\n");
    write(root, "sys/class/thermal/thermal_zone0/trip_point_0_type", "passive\n");
    write(root, "sys/class/thermal/thermal_zone0/trip_point_0_temp", "95000\n");
    write(root, "sys/class/thermal/thermal_zone0/trip_point_1_type", "critical\n");
    write(root, "sys/class/thermal/thermal_zone0/trip_point_1_temp", "105000\n");
    write(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_max_freq", "1800000\n");
    write(root, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3600000\n");
    write(root, "sys/class/power_supply/AC/type", "Mains\n");
    write(root, "sys/class/power_supply/AC/online", "0\n");
    write(root, "sys/class/power_supply/BAT0/type", "Battery\n");
    write(root, "sys/class/power_supply/BAT0/capacity", "41\n");
    write(root, "sys/class/power_supply/BAT0/status", "Discharging\n");

    Telemetry t = HostCollectors.linux(root, Optional.empty()).telemetry().collect();
    assertThat(t.getMemory().getSwapUsedBytes()).isEqualTo(1048576L * 1024);
    assertThat(t.getMemory().getSwapouts()).isEqualTo(34);
    assertThat(t.getMemory().getPsiSomeAvg10()).isEqualTo(23.5);
    assertThat(t.getMemory().getPressure()).isEqualTo(MemoryPressure.MEMORY_WARN);
    assertThat(t.getMemory().getFreePercent()).isEqualTo(25);
    assertThat(t.getThermal().getLevel()).isEqualTo(ThermalLevel.THERMAL_HEAVY);
    assertThat(t.getThermal().getMaxZoneCelsius()).isEqualTo(97.0);
    assertThat(t.getThermal().getCpuSpeedLimitPercent()).isEqualTo(50);
    assertThat(t.getThermal().getThrottled()).isTrue();
    assertThat(t.getPower().getSource()).isEqualTo(PowerSource.POWER_BATTERY);
    assertThat(t.getPower().getBatteryPercent()).isEqualTo(41);
    assertThat(t.getSleep().getMobility()).isEqualTo(Mobility.MOBILITY_MOBILE);
    assertThat(t.getUptimeSeconds()).isEqualTo(3600);
  }

  @Test
  void ollamaSettingsFromTheRunningServersEnvironment(@TempDir Path root) throws Exception {
    write(root, "proc/meminfo", "MemTotal: 1000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
    write(root, "proc/4242/cmdline", "/usr/local/bin/ollama\0serve\0");
    write(
        root,
        "proc/4242/environ",
        "HOME=/usr/share/ollama\0OLLAMA_NUM_PARALLEL=4\0OLLAMA_KEEP_ALIVE=24h\0"
            + "OLLAMA_FLASH_ATTENTION=1\0");
    Telemetry t = HostCollectors.linux(root, Optional.empty()).telemetry().collect();
    assertThat(t.getOllamaSettingsMap())
        .containsEntry("OLLAMA_NUM_PARALLEL", "4")
        .containsEntry("OLLAMA_KEEP_ALIVE", "24h")
        .containsEntry("OLLAMA_FLASH_ATTENTION", "1")
        .doesNotContainKey("OLLAMA_CONTEXT_LENGTH");
  }

  @Test
  void thisMachinesRealProcAndSys() {
    Telemetry t =
        HostCollectors.linux(Path.of("/"), Optional.empty()).telemetry().collect();
    var byName = t.getCollectorsList().stream()
        .collect(java.util.stream.Collectors.toMap(
            CollectorStatus::getName, CollectorStatus::getOutcome));
    assertThat(byName.get("memory")).isEqualTo(CollectorStatus.Outcome.OK);
    assertThat(byName.get("uptime")).isEqualTo(CollectorStatus.Outcome.OK);
    assertThat(t.getUptimeSeconds()).isPositive();
    // thermal and power exist on some machines and not on VMs, but never "failed"
    assertThat(byName.get("thermal")).isNotEqualTo(CollectorStatus.Outcome.FAILED);
    assertThat(byName.get("power")).isNotEqualTo(CollectorStatus.Outcome.FAILED);
  }
}
