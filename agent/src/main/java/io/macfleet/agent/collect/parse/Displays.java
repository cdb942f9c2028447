package io.macfleet.agent.collect.parse;

import java.util.List;

/** `system_profiler SPDisplaysDataType`: each display and whether any is external (a docked Mac). */
public record Displays(List<Display> displays) {
  public record Display(
      String gpu, String name, boolean internal, Boolean main, String resolution) {}

  @com.fasterxml.jackson.annotation.JsonProperty("external_display")
  public boolean externalDisplay() {
    return displays.stream().anyMatch(d -> !d.internal());
  }
}
