package io.macfleet.agent.collect.mac;

import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.NotifyutilThermalParser;
import io.macfleet.agent.collect.parse.PmsetThermParser;
import io.macfleet.agent.collect.parse.PowermetricsParser;
import io.macfleet.agent.collect.parse.ThermStatus;
import io.macfleet.agent.collect.parse.ThermalPressure;
import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.Thermal;
import io.macfleet.proto.v1.ThermalLevel;
import java.util.Optional;

/**
 * Thermal pressure: from powermetrics when running as root, else from notifyutil (no root needed).
 * `pmset -g therm` adds CPU speed/scheduler limits on Intel; on Apple Silicon it says nothing.
 */
public final class MacThermalCollector extends MacCollector {
  public MacThermalCollector(HostCommands commands) {
    super(commands);
  }

  @Override
  public String name() {
    return "thermal";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    ThermalPressure pressure = null;
    Optional<String> pm = optional("powermetrics");
    if (pm.isPresent()) {
      pressure = PowermetricsParser.parse(pm.get()).thermalPressure();
    }
    if (pressure == null) {
      pressure = NotifyutilThermalParser.parse(require("notifyutil-thermal"));
    }
    Thermal.Builder t =
        into.getThermalBuilder().setLevel(level(pressure)).setSource(pressure.source());
    Optional<String> therm = optional("pmset-therm");
    if (therm.isPresent()) {
      try {
        ThermStatus s = PmsetThermParser.parse(therm.get());
        if (s.cpuSpeedLimit() != null) {
          t.setCpuSpeedLimitPercent(s.cpuSpeedLimit());
        }
        if (s.cpuSchedulerLimit() != null) {
          t.setCpuSchedulerLimitPercent(s.cpuSchedulerLimit());
        }
        t.setThrottled(s.throttled() || pressure.level() >= 2);
      } catch (UnrecognisedOutput e) {
        t.setThrottled(pressure.level() >= 2);
      }
    } else {
      t.setThrottled(pressure.level() >= 2);
    }
  }

  static ThermalLevel level(ThermalPressure p) {
    return switch (p.level()) {
      case 0 -> ThermalLevel.THERMAL_NOMINAL;
      case 1 -> ThermalLevel.THERMAL_MODERATE;
      case 2 -> ThermalLevel.THERMAL_HEAVY;
      case 3 -> ThermalLevel.THERMAL_TRAPPING;
      default -> ThermalLevel.THERMAL_SLEEPING;
    };
  }
}
