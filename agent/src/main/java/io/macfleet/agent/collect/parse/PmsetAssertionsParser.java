package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `pmset -g assertions`. Process names may hold spaces and parentheses, ages may exceed 24 hours,
 * continuation lines (Details, Timeout, Created for PID, …) start with a tab or, in pasted copies, spaces.
 */
public final class PmsetAssertionsParser {
  private static final Pattern HELD = Pattern.compile(
      "^\\s*pid (\\d+)\\((.+?)\\):\\s*\\[0x[0-9a-fA-F]+\\]\\s+(?:(\\d+:\\d{2}:\\d{2})\\s+)?(\\S+) named: \"(.*)\"");
  private static final Pattern COUNT = Pattern.compile("^\\s+([A-Za-z]+)\\s+(\\d+)\\s*$");
  private static final Pattern STAMP =
      Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\s*$");

  private PmsetAssertionsParser() {}

  public static Assertions parse(String text) throws UnrecognisedOutput {
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<Assertions.Held> held = new ArrayList<>();
    List<List<String>> details = new ArrayList<>();
    String kernel = null;
    String stamp = null;
    List<String> idle = new ArrayList<>();
    List<String> system = new ArrayList<>();
    boolean inSystemWide = false;
    for (String line : (text == null ? "" : text).split("\\R")) {
      String s = line.strip();
      Matcher st = STAMP.matcher(s);
      if (st.matches()) {
        stamp = st.group(1);
        continue;
      }
      if (s.startsWith("Assertion status system-wide:")) {
        inSystemWide = true;
        continue;
      }
      if (s.startsWith("Listed by owning process:")) {
        inSystemWide = false;
        continue;
      }
      Matcher h = HELD.matcher(line);
      if (h.find()) {
        inSystemWide = false;
        held.add(new Assertions.Held(
            Integer.parseInt(h.group(1)),
            h.group(2),
            h.group(4),
            h.group(5),
            h.group(3),
            List.of()));
        details.add(new ArrayList<>());
        continue;
      }
      Matcher c = COUNT.matcher(line);
      if (c.matches() && (inSystemWide || held.isEmpty())) {
        counts.put(c.group(1), Integer.parseInt(c.group(2)));
        continue;
      }
      if (s.startsWith("Kernel Assertions:")) {
        String v = s.substring("Kernel Assertions:".length()).strip();
        kernel = v.contains("=") ? v.substring(v.indexOf('=') + 1) : v;
      } else if (s.equals("No kernel assertions.")) {
        kernel = "";
      } else if (s.startsWith("Idle sleep preventers:")) {
        split(s.substring("Idle sleep preventers:".length()), idle);
      } else if (s.startsWith("System sleep preventers:")) {
        split(s.substring("System sleep preventers:".length()), system);
      } else if (!held.isEmpty()
          && kernel == null
          && !s.isEmpty()
          && (line.startsWith("\t")
              || line.startsWith("        ")
              || s.startsWith("Assertion applied")
              || s.startsWith("Details:")
              || s.startsWith("Timeout will fire")
              || s.startsWith("Created for PID"))) {
        details.get(details.size() - 1).add(s);
      }
    }
    if (counts.isEmpty() && held.isEmpty() && kernel == null) {
      throw new UnrecognisedOutput(
          "expected 'Assertion status system-wide:' or 'pid N(name): …' lines "
              + "(pmset -g assertions)");
    }
    List<Assertions.Held> withDetails = new ArrayList<>();
    for (int i = 0; i < held.size(); i++) {
      Assertions.Held a = held.get(i);
      withDetails.add(new Assertions.Held(
          a.pid(), a.process(), a.type(), a.name(), a.age(), List.copyOf(details.get(i))));
    }
    return new Assertions(stamp, counts, withDetails, kernel, idle, system);
  }

  private static void split(String list, List<String> into) {
    for (String p : list.split(",")) {
      if (!p.isBlank()) {
        into.add(p.strip());
      }
    }
  }
}
