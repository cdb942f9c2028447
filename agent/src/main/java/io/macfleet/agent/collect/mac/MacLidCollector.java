package io.macfleet.agent.collect.mac;

import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.Clamshell;
import io.macfleet.agent.collect.parse.Displays;
import io.macfleet.agent.collect.parse.IoregClamshellParser;
import io.macfleet.agent.collect.parse.SystemProfilerDisplaysParser;
import io.macfleet.proto.v1.LidState;
import io.macfleet.proto.v1.Sleep;
import io.macfleet.proto.v1.Telemetry;
import java.util.Optional;

/**
 * Lid and external displays, for docked/mobile/desktop: AppleClamshellState from ioreg (absent on
 * desktops) and the display list from system_profiler (slow, so cached by the command layer).
 */
public final class MacLidCollector extends MacCollector {
  public MacLidCollector(HostCommands commands) {
    super(commands);
  }

  @Override
  public String name() {
    return "lid-and-displays";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    Sleep.Builder s = into.getSleepBuilder();
    Optional<String> ioreg = commands.output("ioreg-clamshell");
    Optional<String> displays = commands.output("system_profiler-displays");
    if (ioreg.isEmpty() && displays.isEmpty()) {
      throw new NotApplicable("neither ioreg nor system_profiler here");
    }
    if (ioreg.isPresent()) {
      Clamshell c = IoregClamshellParser.parse(ioreg.get());
      s.setLid(
          c.lidClosed() == null
              ? LidState.LID_NONE
              : c.lidClosed() ? LidState.LID_CLOSED : LidState.LID_OPEN);
    }
    if (displays.isPresent()) {
      Displays d = SystemProfilerDisplaysParser.parse(displays.get());
      s.setExternalDisplay(d.externalDisplay());
    }
  }
}
