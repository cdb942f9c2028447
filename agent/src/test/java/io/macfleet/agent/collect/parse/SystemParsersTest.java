package io.macfleet.agent.collect.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.agent.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sysctl, memory, thermal pressure, system_profiler, ioreg and launchd against the real captures. */
class SystemParsersTest {
  static String f(String name) throws Exception {
    return Fixtures.read("macos/" + name);
  }

  @Test
  void sysctlDumpOfAnM1Pro() throws Exception {
    SysctlFacts s = SysctlParser.facts(
        SysctlParser.values(f("sysctl-hw-machdep-kern.ansible-m1pro-14.4.1.txt")));
    assertThat(s.hwModel()).isEqualTo("MacBookPro18,1");
    assertThat(s.memsizeBytes()).isEqualTo(34359738368L);
    assertThat(s.cpuBrand()).isEqualTo("Apple M1 Pro");
    assertThat(s.performanceCores()).isEqualTo(8);
    assertThat(s.efficiencyCores()).isEqualTo(2);
    assertThat(s.bootTime()).isEqualTo(1711644864L);
    assertThat(s.wakeReason()).isEqualTo("NUB.SPMISw3IRQ nub-spmi0.0x02 rtc");
    assertThat(s.osProductVersion()).isEqualTo("14.4.1");
    assertThat(s.osBuild()).isEqualTo("23E224");
    assertThat(s.virtualMachine()).isFalse();
    assertThat(s.values()).containsEntry("hw.osenvironment", "");
  }

  @Test
  void sysctlSleepAndWakeTimesComeFromSecNeverFromTheDateText() throws Exception {
    var v = SysctlParser.values(f("sysctl-hw-machdep-kern.ansible-m1pro-14.4.1.txt"));
    SysctlFacts s = SysctlParser.facts(v);
    assertThat(v.get("kern.sleeptime")).contains("sec =");
    assertThat(s.sleepTime()).isEqualTo(SysctlParser.seconds(v.get("kern.sleeptime")));
    assertThat(s.wakeTime()).isEqualTo(SysctlParser.seconds(v.get("kern.waketime")));
    assertThat(SysctlParser.seconds("{ sec = 0, usec = 0 } Thu Jan  1 00:00:00 1970"))
        .isNull();
    assertThat(SysctlParser.pressure("2")).isEqualTo("warn");
    assertThat(SysctlParser.pressure("4")).isEqualTo("critical");
  }

  @Test
  void sysctlMachdepCpuAndBareValues() throws Exception {
    var cpu = SysctlParser.values(f("sysctl-machdep.cpu.idx64762307-m1pro-12.6.txt"));
    assertThat(cpu).containsEntry("machdep.cpu.brand_string", "Apple M1 Pro").hasSize(5);
    var n = SysctlParser.valuesOnly(
        f("sysctl-n-hw.model-hw.memsize.idx57941573987-Mac17-4-24GB.txt"),
        List.of("hw.model", "hw.memsize"));
    assertThat(SysctlParser.facts(n).hwModel()).isEqualTo("Mac17,4");
    assertThat(SysctlParser.facts(n).memsizeBytes()).isEqualTo(24L << 30);
    assertThatThrownBy(
            () -> SysctlParser.valuesOnly("Mac17,4\n", List.of("hw.model", "hw.memsize")))
        .hasMessageContaining("expected 2 value line(s)");
  }

  @Test
  void swapUsageIncludingZeroLabelsAndDecimalCommas() throws Exception {
    SwapUsage a = SwapUsageParser.parse(f("sysctl-vm.ansible-test_sysctl-2020.PARTIAL.txt"));
    assertThat(a.swapTotalBytes()).isEqualTo(2048L << 20);
    assertThat(a.swapUsedBytes()).isEqualTo(Math.round(1017.5 * (1 << 20)));
    assertThat(a.encrypted()).isTrue();
    assertThat(SysctlParser.facts(
                SysctlParser.values(f("sysctl-vm.ansible-test_sysctl-2020.PARTIAL.txt")))
            .swap())
        .isEqualTo(a);
    SwapUsage b = SwapUsageParser.parse(f("sysctl-vm.swapusage.idx70882299836-16GB-2026.txt"));
    assertThat(b.swapUsedBytes()).isEqualTo(Math.round(990.81 * (1 << 20)));
    SwapUsage c = SwapUsageParser.parse(f("sysctl-vm.swapusage.px-80-intel-2020.txt"));
    assertThat(c.swapTotalBytes()).isEqualTo(4096L << 20);
    assertThat(c.swapFreeBytes()).isEqualTo(Math.round(1352.5 * (1 << 20)));
    SwapUsage zero = SwapUsageParser.parse(
        f("sysctl-n-vm.swapusage.optimac-live-test-48GB-zero-swap.LABELLED-FRAGMENT.txt"));
    assertThat(zero.swapTotalBytes()).isZero();
    assertThat(zero.swapUsedBytes()).isZero();
    SwapUsage comma = SwapUsageParser.parse(
        "vm.swapusage: total = 1024,00M  used = 512,50M  free = 511,50M  (encrypted)");
    assertThat(comma.swapUsedBytes()).isEqualTo(Math.round(512.5 * (1 << 20)));
  }

  @Test
  void vmStatAndMemoryPressure() throws Exception {
    VmStat v = VmStatParser.parse(f("vm_stat.ansible-m1pro-14.4.1.txt"));
    assertThat(v.pageSize()).isEqualTo(16384);
    assertThat(v.counter("pages_free")).isEqualTo(6472);
    assertThat(v.counter("translation_faults")).isEqualTo(2500287752L);
    assertThat(v.counter("swapins")).isEqualTo(385871);
    assertThat(v.counter("swapouts")).isEqualTo(437651);
    assertThat(v.counter("pageouts")).isEqualTo(135974);
    assertThat(v.compressorBytes()).isEqualTo(424276L * 16384);

    MemoryPressure m =
        MemoryPressureParser.parse(f("memory_pressure.idx54751843474-32GB-16k-pages.txt"));
    assertThat(m.totalBytes()).isEqualTo(34359738368L);
    assertThat(m.pageSize()).isEqualTo(16384);
    assertThat(m.freePercent()).isEqualTo(88);
    assertThat(m.counters())
        .containsEntry("swapins", 0L)
        .containsEntry("pages_used_by_compressor", 102144L)
        .containsEntry("pageouts", 915132L);
    MemoryPressure tail = MemoryPressureParser.parse(
        f("memory_pressure-tail-3.idx70882299836-16GB-swapping.FRAGMENT.txt"));
    assertThat(tail.freePercent()).isEqualTo(50);
    assertThat(tail.totalBytes()).isNull();
    assertThat(tail.counters()).containsEntry("pageouts", 238738L);
  }

  @Test
  void uptime() throws Exception {
    Uptime u = UptimeParser.parse(f("uptime.idx54751843474-macmini-32GB.INLINE.txt"));
    assertThat(u.upSeconds()).isEqualTo(7 * 86400 + 9 * 3600 + 22 * 60);
    assertThat(u.users()).isEqualTo(6);
    assertThat(u.load1()).isEqualTo(2.33);
    assertThat(u.load15()).isEqualTo(3.06);
    assertThat(UptimeParser.parse("10:01  up 3 mins, 2 users, load averages: 1,20 1,10 1,00")
            .upSeconds())
        .isEqualTo(180);
    assertThat(UptimeParser.parse("10:01  up 1 day, 2:03, 1 user, load averages: 1.0 1.0 1.0")
            .upSeconds())
        .isEqualTo(86400 + 2 * 3600 + 3 * 60);
  }

  @Test
  void thermalPressureWithoutRootAndWithPowermetrics() throws Exception {
    ThermalPressure n = NotifyutilThermalParser.parse(
        f("notifyutil-g-thermalpressurelevel.stanislas-blog-Mac14-2-26.1.txt"));
    assertThat(n.level()).isZero();
    assertThat(n.name()).isEqualTo("nominal");
    assertThat(NotifyutilThermalParser.parse("com.apple.system.thermalpressurelevel 2\n")
            .name())
        .isEqualTo("heavy");
    assertThatThrownBy(
            () -> NotifyutilThermalParser.parse("com.apple.system.thermalpressurelevel 30\n"))
        .hasMessageContaining("iOS");

    PowermetricsSample t = PowermetricsParser.parse(
        f("powermetrics-samplers-thermal.idx56499336401-Mac16-12-25F84-nominal.txt"));
    assertThat(t.machineModel()).isEqualTo("Mac16,12");
    assertThat(t.osBuild()).isEqualTo("25F84");
    assertThat(t.thermalPressure().name()).isEqualTo("nominal");
    assertThat(t.samples()).isEqualTo(1);
    PowermetricsSample two = PowermetricsParser.parse(
        f("powermetrics-s-thermal.stanislas-blog-Mac14-2-M2Air-25B78.BLANKLINES-COLLAPSED.txt"));
    assertThat(two.samples()).isEqualTo(2);
    assertThat(two.machineModel()).isEqualTo("Mac14,2");
    PowermetricsSample frag = PowermetricsParser.parse(
        f("powermetrics-samplers-thermal+cpu_power+gpu_power.idx66003975419.FRAGMENT.txt"));
    assertThat(frag.thermalPressure().name()).isEqualTo("nominal");
    assertThat(frag.machineModel()).isNull();
    PowermetricsSample def =
        PowermetricsParser.parse(f("powermetrics-default.powermetrics-go-m4max-15.5.txt"));
    assertThat(def.thermalPressure()).isNull(); // no thermal sampler in the defaults
    assertThat(def.batteryPercent()).isEqualTo(36);
    assertThat(def.osBuild()).isEqualTo("24F74");
    PowermetricsSample tasks =
        PowermetricsParser.parse(f("powermetrics-tasks-cpu_power.quarkus-power-m1max-13.6.txt"));
    assertThat(tasks.machineModel()).isEqualTo("MacBookPro18,4");
    PowermetricsSample plist =
        PowermetricsParser.parse(f("powermetrics-f-plist.pause-monitor-Mac16-5-25C56.plist"));
    assertThat(plist.machineModel()).isEqualTo("Mac16,5");
    assertThat(plist.osBuild()).isEqualTo("25C56");
    assertThat(plist.bootTimeEpoch()).isEqualTo(1768975932L);
    assertThat(plist.thermalPressure().name()).isEqualTo("nominal");
    assertThat(PowermetricsParser.parse("Current pressure level: Moderate\n")
            .thermalPressure()
            .level())
        .isEqualTo(1);
  }

  @Test
  void systemProfilerHardwareTextAndJson() throws Exception {
    HardwareOverview m3 = SystemProfilerHardwareParser.parse(
        f("system_profiler-SPHardwareDataType.danbev-learning-ai-Mac15-3-M3-24GB.txt"));
    assertThat(m3.modelIdentifier()).isEqualTo("Mac15,3");
    assertThat(m3.chip()).isEqualTo("Apple M3");
    assertThat(m3.totalCores()).isEqualTo(8);
    assertThat(m3.performanceCores()).isEqualTo(4);
    assertThat(m3.efficiencyCores()).isEqualTo(4);
    assertThat(m3.memoryBytes()).isEqualTo(24L << 30);
    HardwareOverview max = SystemProfilerHardwareParser.parse(
        f(
            "system_profiler-SPHardwareDataType-SPSoftwareDataType.idx56776901971-Mac14-6-M2Max-96GB-15.7.4.REDACTED.txt"));
    assertThat(max.chip()).isEqualTo("Apple M2 Max");
    assertThat(max.performanceCores()).isEqualTo(8);
    assertThat(max.memoryBytes()).isEqualTo(96L << 30);
    assertThat(max.osVersion()).isEqualTo("macOS 15.7.4 (24G517)");
    assertThat(max.timeSinceBootSeconds()).isEqualTo(38L * 86400 + 8 * 3600 + 55 * 60);
    HardwareOverview json = SystemProfilerHardwareParser.parse(
        f(
            "system_profiler-json-SPHardwareDataType.idx27345174405-Mac14-7-M2-16GB.ZSH-NOEOL-PERCENT.json.txt"));
    assertThat(json.modelIdentifier()).isEqualTo("Mac14,7");
    assertThat(json.chip()).isEqualTo("Apple M2");
    assertThat(json.totalCores()).isEqualTo(8);
    assertThat(json.efficiencyCores()).isEqualTo(4);
    assertThat(json.memoryBytes()).isEqualTo(16L << 30);
    assertThat(SystemProfilerHardwareParser.parse(
                "Hardware Overview:\n  Chip: Apple M5\n  Total Number of Cores: "
                    + "10 (4 Performance and 6 Efficiency)\n")
            .efficiencyCores())
        .isEqualTo(6);
  }

  @Test
  void displaysTellDockedFromMobile() throws Exception {
    Displays docked = SystemProfilerDisplaysParser.parse(
        f(
            "system_profiler-SPDisplaysDataType.idx30449920279-M1-plus-external-LG.INDENT-SHIFTED.txt"));
    assertThat(docked.displays())
        .extracting(Displays.Display::name)
        .containsExactly("Color LCD", "LG HDR WFHD");
    assertThat(docked.displays().get(0).internal()).isTrue();
    assertThat(docked.displays().get(0).main()).isTrue();
    assertThat(docked.displays().get(1).internal()).isFalse();
    assertThat(docked.displays().get(1).gpu()).isEqualTo("Apple M1");
    assertThat(docked.externalDisplay()).isTrue();
    Displays internal = SystemProfilerDisplaysParser.parse(
        f("system_profiler-SPDisplaysDataType.idx62694921562-Mac14-2-M2-internal-only.txt"));
    assertThat(internal.displays()).hasSize(1);
    assertThat(internal.externalDisplay()).isFalse();
  }

  @Test
  void clamshell() throws Exception {
    Clamshell a = IoregClamshellParser.parse(
        f("ioreg-r-k-AppleClamshellState.noclamshell-16-intel-12cpu.FRAGMENT.txt"));
    assertThat(a.lidClosed()).isNull(); // the excerpt stops before AppleClamshellState
    assertThat(a.clamshellCausesSleep()).isTrue();
    assertThat(a.lastSleepReason()).isEqualTo("Clamshell Sleep");
    assertThat(a.wakeReason()).isEqualTo("EC.LidOpen");
    assertThat(a.cpuSpeedLimit()).isEqualTo(100);
    Clamshell b = IoregClamshellParser.parse(
        f("ioreg-r-k-AppleClamshellState.noclamshell-4-intel-highsierra-lidopen.TRUNCATED.txt"));
    assertThat(b.clamshellCausesSleep()).isFalse();
    assertThat(b.lastSleepReason()).isEqualTo("Software Sleep");
    assertThat(b.wakeReason()).isEqualTo("XHC1");
  }

  @Test
  void launchdJobsListsAndPlists() throws Exception {
    LaunchdJob wazuh = LaunchctlPrintParser.parse(
        f("launchctl-print-system.wazuh-packages-2206-mojave.TRUNCATED.TABS-AS-SPACES.txt"));
    assertThat(wazuh.name()).isEqualTo("com.wazuh.agent");
    assertThat(wazuh.state()).isEqualTo("running");
    assertThat(wazuh.running()).isTrue();
    assertThat(wazuh.pid()).isEqualTo(1486);
    assertThat(wazuh.lastExitCode()).isEqualTo("0");
    assertThat(wazuh.arguments()).containsExactly("/Library/StartupItems/WAZUH/Wazuh-launcher");
    LaunchdJob restic = LaunchctlPrintParser.parse(
        f("launchctl-print-user.resticprofile-agent-calendarinterval.txt"));
    assertThat(restic.type()).isEqualTo("LaunchAgent");
    assertThat(restic.state()).isEqualTo("not running");
    assertThat(restic.pid()).isNull();
    assertThat(restic.arguments()).hasSize(7).contains("run-schedule");
    assertThat(restic.fields())
        .containsEntry(
            "working directory", "/Users/cp/go/src/github.com/creativeprojects/resticprofile");

    LaunchctlList head =
        LaunchctlListParser.parse(f("launchctl-list-head-10.idx52733943220-negative-status.txt"));
    assertThat(head.jobs()).hasSize(9);
    assertThat(head.jobs().get(1).label()).isEqualTo("com.apple.progressd");
    assertThat(head.jobs().get(1).killedBySignal()).isEqualTo(9);
    assertThat(head.jobs().get(0).pid()).isNull();
    LaunchctlList grep = LaunchctlListParser.parse(
        f("launchctl-list-grep-and-print-grep.idx57943697622-evidence-2026.FILTERED.txt"));
    assertThat(grep.jobs())
        .extracting(LaunchctlList.Job::label)
        .hasSize(3)
        .contains("com.thanapol.ai-capital.worker");
    LaunchctlList one =
        LaunchctlListParser.parse(f("launchctl-list-LABEL.idx39650798607-spotlight.TRUNCATED.txt"));
    assertThat(one.jobs()).containsExactly(new LaunchctlList.Job(431, 0, "com.apple.Spotlight"));

    Map<String, Object> jenkins =
        PlistReader.readDict(f("launchd-plist.jenkins-org.jenkins-ci.LaunchDaemon.TEMPLATE.plist"));
    assertThat(jenkins)
        .containsEntry("Label", "org.jenkins-ci")
        .containsEntry("KeepAlive", true)
        .containsEntry("RunAtLoad", true);
    assertThat((List<?>) jenkins.get("ProgramArguments")).hasSize(2);
    Map<String, Object> ollama = PlistReader.readDict(
        f("launchd-plist.ollama-app-bundled-LaunchAgent.com.ollama.ollama.plist"));
    assertThat(ollama)
        .containsEntry("Label", "com.ollama.ollama")
        .containsEntry("LimitLoadToSessionType", "Aqua")
        .containsEntry("LSBackgroundOnly", false);
  }

  @Test
  void plistReaderRefusesExternalEntities() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<plist><dict><key>a</key><string>&x;</string></dict></plist>";
    try {
      Map<String, Object> d = PlistReader.readDict(xxe);
      assertThat(String.valueOf(d.get("a"))).doesNotContain("root:");
    } catch (UnrecognisedOutput e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
