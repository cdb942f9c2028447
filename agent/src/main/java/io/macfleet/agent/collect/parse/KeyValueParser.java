package io.macfleet.agent.collect.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/** "key: value" or "key=value" lines (sysctl, /proc/meminfo, /etc/os-release) into a map. */
public final class KeyValueParser {
  private KeyValueParser() {}

  public static Map<String, String> colon(String output) {
    Map<String, String> out = new LinkedHashMap<>();
    if (output == null) {
      return out;
    }
    for (String line : output.split("\\R")) {
      int at = line.indexOf(':');
      if (at <= 0) {
        continue;
      }
      out.putIfAbsent(line.substring(0, at).strip(), line.substring(at + 1).strip());
    }
    return out;
  }

  /** os-release style: KEY=value, KEY="quoted value". */
  public static Map<String, String> shellAssignments(String output) {
    Map<String, String> out = new LinkedHashMap<>();
    if (output == null) {
      return out;
    }
    for (String line : output.split("\\R")) {
      String l = line.strip();
      int at = l.indexOf('=');
      if (l.startsWith("#") || at <= 0) {
        continue;
      }
      String value = l.substring(at + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(l.substring(0, at).strip(), value);
    }
    return out;
  }

  /** "MemTotal:       16314880 kB" → bytes; -1 when absent or unreadable. */
  public static long kilobytes(Map<String, String> meminfo, String key) {
    String v = meminfo.get(key);
    if (v == null) {
      return -1;
    }
    String[] parts = v.split("\\s+");
    try {
      long n = Long.parseLong(parts[0]);
      return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? n * 1024 : n;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
