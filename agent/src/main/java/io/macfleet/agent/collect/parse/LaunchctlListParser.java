package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `launchctl list`: "PID\tStatus\tLabel" then one job per line; anything after a blank line is ignored. */
public final class LaunchctlListParser {
  private static final Pattern ROW = Pattern.compile("^(-|\\d+)\\s+(-?\\d+)\\s+(\\S+)\\s*$");

  private LaunchctlListParser() {}

  public static LaunchctlList parse(String text) throws UnrecognisedOutput {
    if (text != null && text.strip().startsWith("{")) {
      java.util.Map<String, String> d = labelDict(text);
      String label = d.get("Label");
      if (label == null) {
        throw new UnrecognisedOutput("launchctl list <label> output without \"Label\"");
      }
      Integer pid = Numbers.intOrNull(d.get("PID"));
      Integer wait = Numbers.intOrNull(d.get("LastExitStatus"));
      // a raw wait status: exit code in the high byte, signal in the low bits
      int status = wait == null ? 0 : (wait & 0x7f) != 0 ? -(wait & 0x7f) : wait >> 8;
      return new LaunchctlList(List.of(new LaunchctlList.Job(pid, status, label)));
    }
    List<LaunchctlList.Job> jobs = new ArrayList<>();
    boolean header = false;
    for (String line : (text == null ? "" : text).split("\\R")) {
      if (line.startsWith("PID") && line.contains("Label")) {
        header = true;
        continue;
      }
      if (header && line.isBlank()) {
        break;
      }
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        jobs.add(new LaunchctlList.Job(
            m.group(1).equals("-") ? null : Integer.valueOf(m.group(1)),
            Integer.parseInt(m.group(2)),
            m.group(3)));
      }
    }
    if (!header || jobs.isEmpty()) {
      throw new UnrecognisedOutput("expected 'PID\\tStatus\\tLabel' and job rows (launchctl list)");
    }
    return new LaunchctlList(jobs);
  }

  /**
   * `launchctl list <label>` prints an old-style plist dict: "\"PID\" = 431;". LastExitStatus there is a raw
   * wait status (256 = exit 1).
   */
  public static java.util.Map<String, String> labelDict(String text) throws UnrecognisedOutput {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\t\"([^\"]+)\" = (?:\"([^\"]*)\"|([^;{]+));")
        .matcher(text == null ? "" : text);
    while (m.find()) {
      out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3).strip());
    }
    if (out.isEmpty()) {
      throw new UnrecognisedOutput("expected '\"Key\" = value;' lines (launchctl list <label>)");
    }
    return out;
  }
}
