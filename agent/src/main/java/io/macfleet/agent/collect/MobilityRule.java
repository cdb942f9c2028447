package io.macfleet.agent.collect;

import io.macfleet.proto.v1.LidState;
import io.macfleet.proto.v1.Mobility;
import io.macfleet.proto.v1.Power;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.Sleep;

/**
 * Desktop (no battery), docked (a laptop on AC with an external display or its lid closed) or mobile
 * (a laptop on its own): a docked laptop behaves like a desktop, a mobile one throttles and sleeps.
 */
public final class MobilityRule {
  private MobilityRule() {}

  public static Mobility mobility(Power power, Sleep sleep) {
    if (power.getSource() == PowerSource.POWER_SOURCE_UNSPECIFIED) {
      return Mobility.MOBILITY_UNSPECIFIED;
    }
    if (!power.getHasBattery()) {
      return Mobility.MOBILITY_DESKTOP;
    }
    boolean onAc =
        power.getSource() == PowerSource.POWER_AC || power.getSource() == PowerSource.POWER_UPS;
    boolean external = sleep.hasExternalDisplay() && sleep.getExternalDisplay();
    if (onAc && (external || sleep.getLid() == LidState.LID_CLOSED)) {
      return Mobility.MOBILITY_DOCKED;
    }
    return Mobility.MOBILITY_MOBILE;
  }
}
