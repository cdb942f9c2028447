package io.macfleet.agent.collect.mac;

import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.Assertions;
import io.macfleet.agent.collect.parse.PmsetAssertionsParser;
import io.macfleet.agent.collect.parse.PmsetStatsParser;
import io.macfleet.agent.collect.parse.SleepStats;
import io.macfleet.agent.collect.parse.SysctlFacts;
import io.macfleet.agent.collect.parse.SysctlParser;
import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import io.macfleet.proto.v1.Sleep;
import io.macfleet.proto.v1.SleepAssertion;
import io.macfleet.proto.v1.Telemetry;
import java.util.Optional;

/**
 * Sleep: who prevents it (`pmset -g assertions`), the last sleep and wake with the wake reason
 * (`sysctl kern.sleeptime kern.waketime kern.wakereason`, cheaper than `pmset -g log`) and the sleep count.
 */
public final class MacSleepCollector extends MacCollector {
  public MacSleepCollector(HostCommands commands) {
    super(commands);
  }

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    Sleep.Builder s = into.getSleepBuilder();
    boolean any = false;
    Optional<String> sysctl = commands.output("sysctl");
    if (sysctl.isPresent()) {
      SysctlFacts f = SysctlParser.facts(SysctlParser.values(sysctl.get()));
      if (f.sleepTime() != null) {
        s.setLastSleep(epoch(f.sleepTime()));
      }
      if (f.wakeTime() != null) {
        s.setLastWake(epoch(f.wakeTime()));
      }
      if (f.wakeReason() != null) {
        s.setWakeReason(f.wakeReason());
      }
      any = true;
    }
    Optional<String> assertions = commands.output("pmset-assertions");
    if (assertions.isPresent()) {
      Assertions a = PmsetAssertionsParser.parse(assertions.get());
      for (Assertions.Held h : a.sleepPreventers()) {
        s.addPreventers(SleepAssertion.newBuilder()
            .setProcess(h.process())
            .setPid(h.pid())
            .setType(h.type())
            .setName(h.name())
            .setAge(h.age() == null ? "" : h.age()));
      }
      any = true;
    }
    Optional<String> stats = optional("pmset-stats");
    if (stats.isPresent()) {
      try {
        SleepStats st = PmsetStatsParser.parse(stats.get());
        if (st.sleepCount() != null) {
          s.setSleepCount(st.sleepCount());
        }
      } catch (UnrecognisedOutput e) {
        // the count is a detail; sleep and wake times already came from sysctl
      }
    }
    if (!any) {
      throw new NotApplicable("neither sysctl nor pmset here");
    }
  }
}
