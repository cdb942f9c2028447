package io.macfleet.agent.collect.parse;

import java.util.List;

/** `pmset -g log` entries, plus the per-cycle summary when present. */
public record PowerLog(
    List<Entry> entries, Integer sleepWakesSinceBoot, Integer darkWakesThisCycle) {
  /** time is "yyyy-MM-dd HH:mm:ss ±zzzz" (null in message-only fragments); powerSource AC, Batt or UPS. */
  public record Entry(
      String time,
      String domain,
      String message,
      String powerSource,
      Integer chargePercent,
      Long durationSeconds,
      String reason) {}

  @com.fasterxml.jackson.annotation.JsonIgnore
  public Entry last(String domain) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (domain.equals(entries.get(i).domain())) {
        return entries.get(i);
      }
    }
    return null;
  }
}
