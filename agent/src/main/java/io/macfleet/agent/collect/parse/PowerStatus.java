package io.macfleet.agent.collect.parse;

import java.util.List;

/** `pmset -g batt`: where power comes from and each battery or UPS. source is AC, Battery or UPS. */
public record PowerStatus(String source, List<Battery> batteries) {
  /** state: charging, discharging, charged, finishing charge, AC attached; not charging. */
  public record Battery(
      String name,
      String id,
      int percent,
      String state,
      Integer minutesRemaining,
      boolean noEstimate,
      Boolean present) {}
}
