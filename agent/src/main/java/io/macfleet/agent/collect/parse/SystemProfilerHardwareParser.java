package io.macfleet.agent.collect.parse;

import io.macfleet.agent.json.JsonTree;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `system_profiler SPHardwareDataType [SPSoftwareDataType]` as text ("Chip:" on Apple Silicon,
 * "Processor Name:" on Intel; core counts in either case) or -json (a trailing zsh "%" is tolerated).
 */
public final class SystemProfilerHardwareParser {
  private static final Pattern CORES = Pattern.compile(
      "(\\d+)(?:\\s*\\((\\d+) performance and (\\d+) efficiency\\))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern PROC = Pattern.compile("proc (\\d+):(\\d+):(\\d+)");
  private static final Pattern MEMORY = Pattern.compile("([\\d.]+)\\s*(GB|MB|TB)");
  private static final Pattern BOOT =
      Pattern.compile("(?:(\\d+) days?)?[, ]*(?:(\\d+) hours?)?[, ]*(?:(\\d+) minutes?)?");

  private SystemProfilerHardwareParser() {}

  public static HardwareOverview parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text.strip();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1); // zsh's no-final-newline marker in a pasted capture
    }
    if (t.startsWith("{")) {
      return json(t);
    }
    Map<String, String> kv = KeyValueParser.colon(t);
    String chip = kv.getOrDefault("Chip", kv.get("Processor Name"));
    if (chip == null && kv.get("Model Identifier") == null) {
      throw new UnrecognisedOutput(
          "expected 'Model Identifier:' and 'Chip:' lines (system_profiler SPHardwareDataType)");
    }
    Integer total = null;
    Integer perf = null;
    Integer eff = null;
    String cores = kv.get("Total Number of Cores");
    if (cores != null) {
      Matcher c = CORES.matcher(cores);
      if (c.find()) {
        total = Integer.valueOf(c.group(1));
        perf = c.group(2) == null ? null : Integer.valueOf(c.group(2));
        eff = c.group(3) == null ? null : Integer.valueOf(c.group(3));
      }
    }
    String os = kv.get("System Version");
    return new HardwareOverview(
        kv.get("Model Name"),
        kv.get("Model Identifier"),
        chip,
        total,
        perf,
        eff,
        memory(kv.get("Memory")),
        os,
        bootSeconds(kv.get("Time since boot")));
  }

  private static HardwareOverview json(String t) throws UnrecognisedOutput {
    JsonTree.Node root;
    try {
      root = JsonTree.parse(t);
    } catch (Exception e) {
      throw new UnrecognisedOutput(
          "system_profiler -json output is not valid JSON: " + e.getMessage());
    }
    JsonTree.Node hw = root.path("SPHardwareDataType").path(0);
    if (hw.isMissingNode()) {
      throw new UnrecognisedOutput("no SPHardwareDataType in the JSON");
    }
    Integer total = null;
    Integer perf = null;
    Integer eff = null;
    JsonTree.Node np = hw.path("number_processors");
    if (np.isIntegralNumber()) {
      total = np.asInt(0); // virtual machines report a plain number
    } else {
      Matcher p = PROC.matcher(np.asText(""));
      if (p.find()) {
        total = Integer.valueOf(p.group(1));
        perf = Integer.valueOf(p.group(2));
        eff = Integer.valueOf(p.group(3));
      }
    }
    return new HardwareOverview(
        text(hw, "machine_name"),
        text(hw, "machine_model"),
        text(hw, "chip_type") != null ? text(hw, "chip_type") : text(hw, "cpu_type"),
        total,
        perf,
        eff,
        memory(text(hw, "physical_memory")),
        null,
        null);
  }

  private static String text(JsonTree.Node n, String field) {
    JsonTree.Node v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Long memory(String s) {
    if (s == null) {
      return null;
    }
    Matcher m = MEMORY.matcher(s);
    if (!m.find()) {
      return null;
    }
    double v = Double.parseDouble(m.group(1));
    long unit = switch (m.group(2)) {
      case "TB" -> 1L << 40;
      case "MB" -> 1L << 20;
      default -> 1L << 30;
    };
    return Math.round(v * unit);
  }

  static Long bootSeconds(String s) {
    if (s == null) {
      return null;
    }
    Matcher m = BOOT.matcher(s.strip());
    if (!m.find() || m.group(0).isBlank()) {
      return null;
    }
    long d = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long h = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    long min = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return d * 86400 + h * 3600 + min * 60;
  }
}
