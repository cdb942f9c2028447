package io.macfleet.agent.collect.mac;

import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.PmsetBattParser;
import io.macfleet.agent.collect.parse.PmsetSettingsParser;
import io.macfleet.agent.collect.parse.PowerSettings;
import io.macfleet.agent.collect.parse.PowerStatus;
import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import io.macfleet.proto.v1.Power;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.Telemetry;
import java.util.Optional;

/** Power source, battery percent, charging state and time remaining (`pmset -g batt`); low power mode (`pmset -g`). */
public final class MacPowerCollector extends MacCollector {
  public MacPowerCollector(HostCommands commands) {
    super(commands);
  }

  @Override
  public String name() {
    return "power";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    PowerStatus s = PmsetBattParser.parse(require("pmset-batt"));
    Power.Builder p = into.getPowerBuilder()
        .setSource(
            switch (s.source()) {
              case "AC" -> PowerSource.POWER_AC;
              case "Battery" -> PowerSource.POWER_BATTERY;
              case "UPS" -> PowerSource.POWER_UPS;
              default -> PowerSource.POWER_SOURCE_UNSPECIFIED;
            });
    var internal = s.batteries().stream()
        .filter(b -> b.name().startsWith("InternalBattery"))
        .findFirst();
    p.setHasBattery(internal.isPresent());
    internal.ifPresent(b -> {
      p.setBatteryPercent(b.percent()).setChargingState(b.state());
      if (b.minutesRemaining() != null) {
        p.setMinutesRemaining(b.minutesRemaining());
      }
    });
    Optional<String> settings = optional("pmset-settings");
    if (settings.isPresent()) {
      try {
        PowerSettings ps = PmsetSettingsParser.parse(settings.get());
        if (ps.lowPowerMode() != null) {
          p.setLowPowerMode(ps.lowPowerMode());
        }
      } catch (UnrecognisedOutput e) {
        // low power mode stays unknown; the power source is still good
      }
    }
  }
}
