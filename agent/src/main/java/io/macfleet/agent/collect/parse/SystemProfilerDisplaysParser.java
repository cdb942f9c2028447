package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * `system_profiler SPDisplaysDataType` text. Displays sit under "Displays:"; the internal panel has
 * "Connection Type: Internal" and/or "Display Type: Built-in…", external ones have neither. Indentation
 * may be shifted in copies, so nesting is read relative to the "Displays:" line.
 */
public final class SystemProfilerDisplaysParser {
  private SystemProfilerDisplaysParser() {}

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  public static Displays parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    if (!t.contains("Graphics/Displays:") && !t.contains("Displays:")) {
      throw new UnrecognisedOutput(
          "expected 'Graphics/Displays:' (system_profiler SPDisplaysDataType)");
    }
    List<Displays.Display> out = new ArrayList<>();
    String gpu = null;
    int gpuIndent = -1;
    int displaysIndent = -1;
    String name = null;
    int nameIndent = -1;
    boolean internal = false;
    Boolean main = null;
    String resolution = null;
    for (String line : t.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      int ind = indent(line);
      String s = line.strip();
      if (displaysIndent >= 0 && ind <= displaysIndent) {
        if (name != null) {
          out.add(new Displays.Display(gpu, name, internal, main, resolution));
          name = null;
        }
        displaysIndent = -1;
      }
      if (s.equals("Displays:")) {
        displaysIndent = ind;
        continue;
      }
      if (displaysIndent < 0) {
        if (s.endsWith(":")
            && !s.equals("Graphics/Displays:")
            && (gpuIndent < 0 || ind <= gpuIndent)) {
          gpu = s.substring(0, s.length() - 1);
          gpuIndent = ind;
        }
        continue;
      }
      if (s.endsWith(":") && (name == null || ind <= nameIndent)) {
        if (name != null) {
          out.add(new Displays.Display(gpu, name, internal, main, resolution));
        }
        name = s.substring(0, s.length() - 1);
        nameIndent = ind;
        internal = false;
        main = null;
        resolution = null;
        continue;
      }
      if (name == null) {
        continue;
      }
      if (s.startsWith("Connection Type:") && s.contains("Internal")
          || s.startsWith("Display Type:")
              && s.toLowerCase(java.util.Locale.ROOT).contains("built-in")) {
        internal = true;
      } else if (s.startsWith("Main Display:")) {
        main = s.endsWith("Yes");
      } else if (s.startsWith("Resolution:")) {
        resolution = s.substring("Resolution:".length()).strip();
      }
    }
    if (name != null) {
      out.add(new Displays.Display(gpu, name, internal, main, resolution));
    }
    return new Displays(out);
  }
}
