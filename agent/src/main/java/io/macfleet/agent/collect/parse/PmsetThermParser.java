package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `pmset -g therm` and `pmset -g thermlog` (records "\t<Key> \t= <int>", keys in no fixed order). */
public final class PmsetThermParser {
  private static final Pattern VALUE = Pattern.compile(
      "(?m)^\\s*(CPU_Scheduler_Limit|CPU_Available_CPUs|CPU_Speed_Limit)\\s*=\\s*(\\d+)");
  private static final Pattern LEVEL =
      Pattern.compile("(Thermal|Performance) Warning Level\\s*=\\s*(\\d+)");
  private static final Pattern STAMP = Pattern.compile(
      "(?m)^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}) CPU Power notify");

  private PmsetThermParser() {}

  public static ThermStatus parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    int notes = 0;
    for (String n : new String[] {
      "No thermal warning level has been recorded",
      "No performance warning level has been recorded",
      "No CPU power status has been recorded"
    }) {
      if (t.contains(n)) {
        notes++;
      }
    }
    Integer sched = null;
    Integer cpus = null;
    Integer speed = null;
    Matcher v = VALUE.matcher(t);
    while (v.find()) { // thermlog repeats records: the last one is current
      int n = Integer.parseInt(v.group(2));
      switch (v.group(1)) {
        case "CPU_Scheduler_Limit" -> sched = n;
        case "CPU_Available_CPUs" -> cpus = n;
        default -> speed = n;
      }
    }
    Integer thermal = null;
    Integer perf = null;
    Matcher l = LEVEL.matcher(t);
    while (l.find()) {
      if (l.group(1).equals("Thermal")) {
        thermal = Integer.parseInt(l.group(2));
      } else {
        perf = Integer.parseInt(l.group(2));
      }
    }
    String stamp = null;
    Matcher s = STAMP.matcher(t);
    while (s.find()) {
      stamp = s.group(1);
    }
    if (notes == 0
        && sched == null
        && cpus == null
        && speed == null
        && thermal == null
        && perf == null) {
      throw new UnrecognisedOutput(
          "expected 'Note: No … recorded' lines or CPU power values (pmset -g therm)");
    }
    return new ThermStatus(
        notes == 3 && speed == null && sched == null, sched, cpus, speed, thermal, perf, stamp);
  }
}
