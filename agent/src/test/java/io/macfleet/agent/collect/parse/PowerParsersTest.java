package io.macfleet.agent.collect.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.agent.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pmset batt, therm, settings, stats, log and assertions against the real captures. */
class PowerParsersTest {
  static String f(String name) throws Exception {
    return Fixtures.read("macos/" + name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "null",
      value = {
        "pmset-g-batt.battstat-2-elcapitan-charging-noestimate.LEADING-SPACE-LOST.txt, AC, 90, charging, null, true, null",
        "pmset-g-batt.battstat-2-elcapitan-discharging-noestimate.LEADING-SPACE-LOST.txt, Battery, 90, discharging, null, true, null",
        "pmset-g-batt.idx55553857946-m3pro-26A5368g.ONE-LINE-WHITESPACE-COLLAPSED.txt, Battery, 100, discharging, null, true, 22806627",
        "pmset-g-batt.idx70882299836-16GB-2026-charging.txt, AC, 68, charging, 107, false, 22544483",
        "pmset-g-batt.idx71654063617-m2pro-26.3.1a-finishing.ONE-LINE-WHITESPACE-COLLAPSED.txt, AC, 100, finishing charge, 0, false, 21364835",
        "pmset-g-batt.oh-my-posh-2139-intel-bigsur-ac-not-charging.REDACTED-ID.txt, AC, 80, AC attached; not charging, null, false, xxxxxxxx",
        "pmset-g-batt.powerlevel9k-376-noid-charging-2017.txt, AC, 43, charging, 133, false, null",
        "pmset-g-batt.spaceship-640-discharging-2019.txt, Battery, 95, discharging, 186, false, 5374051",
        "pmset-g-batt.tmux-battery-8-yosemite-noestimate.TABS-AS-SPACES.txt, Battery, 100, discharging, null, true, null",
      })
  void batteries(
      String file,
      String source,
      int pct,
      String state,
      Integer minutes,
      boolean noEstimate,
      String id)
      throws Exception {
    PowerStatus p = PmsetBattParser.parse(f(file));
    assertThat(p.source()).isEqualTo(source);
    assertThat(p.batteries()).hasSize(1);
    PowerStatus.Battery b = p.batteries().get(0);
    assertThat(b.name()).isEqualTo("InternalBattery-0");
    assertThat(b.percent()).isEqualTo(pct);
    assertThat(b.state()).isEqualTo(state);
    assertThat(b.minutesRemaining()).isEqualTo(minutes);
    assertThat(b.noEstimate()).isEqualTo(noEstimate);
    assertThat(b.id()).isEqualTo(id);
  }

  @Test
  void aDesktopPrintsOnlyTheSource() throws Exception {
    PowerStatus p = PmsetBattParser.parse("Now drawing from 'AC Power'\n");
    assertThat(p.source()).isEqualTo("AC");
    assertThat(p.batteries()).isEmpty();
    assertThat(PmsetBattParser.parse(
                "Now drawing from 'UPS Power'\n -CP1500 (id=123)\t75%; discharging; 0:42 remaining present: true")
            .batteries()
            .get(0)
            .minutesRemaining())
        .isEqualTo(42);
  }

  @Test
  void thermOnAppleSiliconSaysNothingOnIntelItGivesLimits() throws Exception {
    ThermStatus as =
        PmsetThermParser.parse(f("pmset-g-therm.exelban-stats-749-m1pro-macos12.1.txt"));
    assertThat(as.appleSiliconShape()).isTrue();
    assertThat(as.cpuSpeedLimit()).isNull();
    assertThat(as.throttled()).isFalse();
    ThermStatus intel =
        PmsetThermParser.parse(f("pmset-g-therm.node_exporter-2031-intel-12cpu.txt"));
    assertThat(intel.appleSiliconShape()).isFalse();
    assertThat(intel.cpuSchedulerLimit()).isEqualTo(100);
    assertThat(intel.cpuAvailableCpus()).isEqualTo(12);
    assertThat(intel.cpuSpeedLimit()).isEqualTo(100);
    assertThat(intel.recordedAt()).isEqualTo("2021-05-02 11:51:57 +0800");
    ThermStatus throttled =
        PmsetThermParser.parse(f("pmset-g-thermlog.menumeters-158-intel-throttled.DOUBTFUL.txt"));
    assertThat(throttled.cpuSpeedLimit()).isEqualTo(28);
    assertThat(throttled.throttled()).isTrue();
    assertThat(PmsetThermParser.parse(f("pmset-g-thermlog.menumeters-158-intel-unthrottled.txt"))
            .throttled())
        .isFalse();
    assertThat(PmsetThermParser.parse(
                f("pmset-g-thermlog.stanislas-blog-Mac14-2-M2Air-26.1-interrupted.txt"))
            .appleSiliconShape())
        .isTrue();
  }

  @Test
  void settingsWithPreventersLowPowerModeAndKeysWithSpaces() throws Exception {
    PowerSettings arm = PmsetSettingsParser.parse(
        f("pmset-g.aldente-603-arm64-2022.POSTER-ADDED-BOLD-MARKERS.txt"));
    assertThat(arm.sleepDisabled()).isTrue();
    assertThat(arm.lowPowerMode()).isFalse();
    assertThat(arm.sections().get("Currently in use"))
        .containsEntry("Sleep On Power Button", "1")
        .containsEntry("sleep", "1")
        .containsEntry("displaysleep", "10")
        .containsEntry("hibernatefile", "/var/vm/sleepimage");
    assertThat(arm.sleepPreventedBy())
        .containsExactly(
            "bluetoothd",
            "com.bombich.ccchelper",
            "powerd",
            "sharingd",
            "com.apphousekitchen.aldente-pro");
    assertThat(arm.displaySleepPreventedBy()).containsExactly("com.apphousekitchen.aldente-pro");
    PowerSettings intel = PmsetSettingsParser.parse(f("pmset-g.x1c6-hackintosh-28-intel-2020.txt"));
    assertThat(intel.sleepDisabled()).isNull();
    assertThat(intel.sections().get("System-wide power settings"))
        .containsEntry("DestroyFVKeyOnStandby", "1");
    assertThat(intel.sections().get("Currently in use"))
        .containsEntry("highstandbythreshold", "50")
        .containsEntry("lidwake", "1");
    assertThat(intel.lowPowerMode()).isNull();
    PowerSettings custom =
        PmsetSettingsParser.parse(f("pmset-g-custom.alfred-lpm-6-m1max-14.0beta.TRUNCATED.txt"));
    assertThat(custom.powerMode()).isZero();
    assertThat(custom.lowPowerMode()).isFalse();
    assertThat(custom.sections().get("Battery Power"))
        .containsEntry("powernap", "1")
        .doesNotContainKey("hibernatefile"); // truncated before its value
  }

  @Test
  void stats() throws Exception {
    SleepStats s = PmsetStatsParser.parse(f("pmset-g-stats.idx38037926670-notes.FRAGMENT.txt"));
    assertThat(s.sleepCount()).isZero();
    assertThat(s.darkWakeCount()).isZero();
    assertThat(s.userWakeCount()).isEqualTo(2);
  }

  @Test
  void logEntriesAcrossCaptureDamage() throws Exception {
    PowerLog a =
        PmsetLogParser.parse(f("pmset-g-log.acidanthera-2467-hackintosh-2025.FRAGMENT.txt"));
    assertThat(a.entries())
        .extracting(PowerLog.Entry::domain)
        .containsExactly("Sleep", "Wake Requests", "PM Client Acks");
    PowerLog.Entry sleep = a.entries().get(0);
    assertThat(sleep.time()).isEqualTo("2025-01-01 16:54:47 +0800");
    assertThat(sleep.reason()).isEqualTo("Idle Sleep");
    assertThat(sleep.powerSource()).isEqualTo("AC");
    assertThat(sleep.chargePercent()).isZero();

    PowerLog m1 =
        PmsetLogParser.parse(f("pmset-g-log.actuallymentor-battery-226-m1max-14.2.1.FRAGMENT.txt"));
    assertThat(m1.entries()).hasSize(1);
    assertThat(m1.entries().get(0).domain()).isEqualTo("DarkWake");
    assertThat(m1.entries().get(0).powerSource()).isEqualTo("Batt"); // "BATT" in the capture
    assertThat(m1.entries().get(0).chargePercent()).isEqualTo(60);

    PowerLog tabs =
        PmsetLogParser.parse(f("pmset-g-log.atherose2200-20-mojave-2019-tabs.FRAGMENT.txt"));
    assertThat(tabs.sleepWakesSinceBoot()).isEqualTo(4);
    assertThat(tabs.darkWakesThisCycle()).isEqualTo(1);
    assertThat(tabs.entries().get(0).domain()).isEqualTo("Notification");
    assertThat(tabs.entries().get(0).message()).isEqualTo("Display is turned off");

    PowerLog quoted =
        PmsetLogParser.parse(f("pmset-g-log.oc-m3800-7-bigsur-2021.QUOTE-PREFIXED.FRAGMENT.txt"));
    assertThat(quoted.entries()).hasSize(9);
    assertThat(quoted.entries().get(0).time()).isEqualTo("2021-01-21 18:56:24 +0100");
    assertThat(quoted.entries().get(0).durationSeconds()).isEqualTo(21);
    assertThat(quoted.last("Wake").reason()).isEqualTo("HID Activity");
    assertThat(quoted.entries().get(1).reason()).isEqualTo("GLAN/Lid Open");
    assertThat(quoted.last("DarkWake").time()).isEqualTo("2021-01-21 20:15:31 +0100");

    PowerLog batt = PmsetLogParser.parse(
        f("pmset-g-log.t480-25-catalina-battery-2020.LEADING-BACKTICK-DROPPED.FRAGMENT.txt"));
    assertThat(batt.entries().get(0).powerSource()).isEqualTo("Batt");
    assertThat(batt.entries().get(0).chargePercent()).isEqualTo(96);
    assertThat(batt.entries().get(0).durationSeconds()).isEqualTo(54731);
    assertThat(batt.entries())
        .extracting(PowerLog.Entry::domain)
        .contains("Kernel Client Acks", "Assertions");
  }

  @Test
  void assertionsNameWhoKeepsTheMacAwake() throws Exception {
    Assertions nuc = PmsetAssertionsParser.parse(
        f("pmset-g-assertions.nucintosh-9-intel-bigsur-kernelassertions.txt"));
    assertThat(nuc.takenAt()).isEqualTo("2020-11-14 18:34:48 +0100");
    assertThat(nuc.systemWide())
        .containsEntry("PreventUserIdleSystemSleep", 1)
        .containsEntry("BackgroundTask", 1)
        .hasSize(8);
    assertThat(nuc.processes())
        .extracting(Assertions.Held::process)
        .containsExactly("WindowServer", "sharingd", "UserEventAgent");
    assertThat(nuc.processes().get(0).details())
        .containsExactly("Timeout will fire in 600 secs Action=TimeoutActionRelease");
    assertThat(nuc.processes().get(2).details()).containsExactly("Created for PID: 341.");
    assertThat(nuc.kernelAssertions()).isEqualTo("USB,BT-HID");
    assertThat(nuc.idleSleepPreventers()).containsExactly("IODisplayWrangler");
    assertThat(nuc.sleepPreventers()).extracting(Assertions.Held::name).containsExactly("Handoff");

    Assertions claude = PmsetAssertionsParser.parse(
        f("pmset-g-assertions.idx67130595503-2026-caffeinate-dims.FRAGMENT-ELIDED.txt"));
    assertThat(claude.processes().get(0).age()).isEqualTo("53:21:07");
    assertThat(claude.processes().get(1).details().get(0))
        .startsWith("Details: caffeinate asserting on behalf of");
    assertThat(claude.kernelAssertions()).isEqualTo("USB,MAGICWAKE");
    // powerd's display-on assertion is not a culprit; Claude and caffeinate are
    assertThat(claude.sleepPreventers())
        .extracting(Assertions.Held::process)
        .containsExactly("Claude", "caffeinate", "caffeinate");

    Assertions m1 = PmsetAssertionsParser.parse(
        f("pmset-g-assertions.actuallymentor-battery-226-m1max-14.2.1.FRAGMENT.txt"));
    assertThat(m1.processes().get(0).type()).isEqualTo("InternalPreventSleep");
    assertThat(m1.processes().get(0).details())
        .containsExactly("Assertion applied on Battery power also");

    Assertions locale = PmsetAssertionsParser.parse(
        f("pmset-g-assertions.vulgo-b460i-14-intel-2022-localedate.txt"));
    assertThat(locale.kernelAssertions()).isEqualTo("USB");
    assertThat(locale.processes()).hasSize(1);

    Assertions aerial =
        PmsetAssertionsParser.parse(f("pmset-g-assertions.aerial-304-intel-2017.FRAGMENT.txt"));
    assertThat(aerial.processes().get(0).age()).isEqualTo("11:02:06");
    assertThat(aerial.systemWide()).containsEntry("ExternalMedia", 1);

    Assertions x1 =
        PmsetAssertionsParser.parse(f("pmset-g-assertions.x1c6-8-intel-catalina.FRAGMENT.txt"));
    assertThat(x1.systemWide()).containsEntry("InternalPreventDisplaySleep", 1);
    assertThat(x1.processes().get(1).details())
        .containsExactly("Timeout will fire in 258 secs Action=TimeoutActionTurnOff");

    Assertions egrep = PmsetAssertionsParser.parse(
        f("pmset-g-assertions-egrep.idx15107892982-powerd-display-on.FILTERED.txt"));
    assertThat(egrep.systemWide()).containsEntry("PreventUserIdleSystemSleep", 1);
    assertThat(egrep.sleepPreventers())
        .extracting(Assertions.Held::process)
        .containsExactly("caffeinate");
  }

  @Test
  void garbage() {
    assertThatThrownBy(() -> PmsetBattParser.parse("No such file"))
        .isInstanceOf(UnrecognisedOutput.class)
        .hasMessageContaining("Now drawing from");
    assertThatThrownBy(() -> PmsetAssertionsParser.parse("hello"))
        .isInstanceOf(UnrecognisedOutput.class);
  }
}
