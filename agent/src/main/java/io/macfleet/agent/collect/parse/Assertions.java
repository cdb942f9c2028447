package io.macfleet.agent.collect.parse;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** `pmset -g assertions`: system-wide counts, per-process assertions, kernel assertions and named preventers. */
public record Assertions(
    String takenAt,
    Map<String, Integer> systemWide,
    List<Held> processes,
    String kernelAssertions,
    List<String> idleSleepPreventers,
    List<String> systemSleepPreventers) {

  /** One assertion held by a process; age is "HH:MM:SS" (hours may exceed 24) or null. */
  public record Held(
      int pid, String process, String type, String name, String age, List<String> details) {}

  private static final Set<String> PREVENTS_SLEEP = Set.of(
      "PreventUserIdleSystemSleep",
      "PreventSystemSleep",
      "NoIdleSleepAssertion",
      "InternalPreventSleep");

  /**
   * Who keeps the Mac awake. powerd's "Prevent sleep while display is on" is left out: it is held
   * whenever the display is on and says nothing about an app.
   */
  @com.fasterxml.jackson.annotation.JsonProperty("sleep_preventers")
  public List<Held> sleepPreventers() {
    return processes.stream()
        .filter(h -> PREVENTS_SLEEP.contains(h.type()))
        .filter(h -> !(h.process().equals("powerd") && h.name().contains("display is on")))
        .toList();
  }
}
