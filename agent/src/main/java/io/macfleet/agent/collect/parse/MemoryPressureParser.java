package io.macfleet.agent.collect.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `memory_pressure`: "The system has N (P pages with a page size of S)." then sections of "Label: N " lines
 * (trailing spaces) and "System-wide memory free percentage: NN%".
 */
public final class MemoryPressureParser {
  private static final Pattern HEADER =
      Pattern.compile("The system has (\\d+) \\((\\d+) pages with a page size of (\\d+)\\)");
  private static final Pattern FREE =
      Pattern.compile("System-wide memory free percentage:\\s*(\\d+)%");
  private static final Pattern LINE =
      Pattern.compile("^\\s*([A-Za-z][A-Za-z /-]*):\\s*(\\d+)\\s*$");

  private MemoryPressureParser() {}

  public static MemoryPressure parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    Matcher h = HEADER.matcher(t);
    Matcher f = FREE.matcher(t);
    boolean header = h.find();
    boolean free = f.find();
    if (!header && !free) {
      throw new UnrecognisedOutput(
          "expected 'The system has …' or 'System-wide memory free percentage: N%' "
              + "(memory_pressure)");
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String line : t.split("\\R")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        counters.put(Keys.snake(m.group(1)), Long.parseLong(m.group(2)));
      }
    }
    return new MemoryPressure(
        header ? Long.valueOf(h.group(1)) : null,
        header ? Long.valueOf(h.group(3)) : null,
        free ? Integer.valueOf(f.group(1)) : null,
        counters);
  }
}
