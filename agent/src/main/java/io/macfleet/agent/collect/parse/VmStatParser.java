package io.macfleet.agent.collect.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `vm_stat`: "(page size of 16384 bytes)" header, then "Label:   12345." lines (values end in a dot). */
public final class VmStatParser {
  private static final Pattern HEADER = Pattern.compile("page size of (\\d+) bytes");
  private static final Pattern LINE =
      Pattern.compile("^\\s*(\"?[A-Za-z][A-Za-z -]*\"?):\\s+(\\d+)\\.?\\s*$");

  private VmStatParser() {}

  public static VmStat parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    Matcher h = HEADER.matcher(t);
    if (!h.find()) {
      throw new UnrecognisedOutput(
          "expected 'Mach Virtual Memory Statistics: (page size of N bytes)' (vm_stat)");
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String line : t.split("\\R")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        counters.put(Keys.snake(m.group(1)), Long.parseLong(m.group(2)));
      }
    }
    if (counters.isEmpty()) {
      throw new UnrecognisedOutput("vm_stat header without counters");
    }
    return new VmStat(Long.parseLong(h.group(1)), counters);
  }
}
