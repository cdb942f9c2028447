package io.macfleet.agent.collect.mac;

import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.SysctlFacts;
import io.macfleet.agent.collect.parse.SysctlParser;
import io.macfleet.proto.v1.Telemetry;
import java.time.Instant;

/** Boot time from kern.boottime's sec field; uptime follows from it. */
public final class MacUptimeCollector extends MacCollector {
  public MacUptimeCollector(HostCommands commands) {
    super(commands);
  }

  @Override
  public String name() {
    return "uptime";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    SysctlFacts f = SysctlParser.facts(SysctlParser.values(require("sysctl")));
    if (f.bootTime() == null) {
      throw new IllegalStateException("sysctl printed no kern.boottime");
    }
    into.setBootTime(epoch(f.bootTime()));
    into.setUptimeSeconds(Math.max(0, Instant.now().getEpochSecond() - f.bootTime()));
  }
}
