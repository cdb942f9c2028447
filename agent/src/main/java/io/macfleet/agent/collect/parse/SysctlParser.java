package io.macfleet.agent.collect.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `sysctl name…` output ("name: value" lines). Time values such as kern.boottime read
 * "{ sec = N, usec = M } <ctime>": only sec is used, never the locale-dependent date text.
 */
public final class SysctlParser {
  private static final Pattern KEY =
      Pattern.compile("^([a-z][a-z0-9_]*(?:\\.[A-Za-z0-9_]+)+):(.*)$");
  private static final Pattern SEC = Pattern.compile("\\{\\s*sec\\s*=\\s*(\\d+)");

  private SysctlParser() {}

  /** All name/value pairs; unrecognised when there are none. */
  public static Map<String, String> values(String text) throws UnrecognisedOutput {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : (text == null ? "" : text).split("\\R")) {
      Matcher m = KEY.matcher(line.strip());
      if (m.matches()) {
        out.putIfAbsent(m.group(1), m.group(2).strip());
      }
    }
    if (out.isEmpty()) {
      throw new UnrecognisedOutput("expected 'name: value' lines (sysctl)");
    }
    return out;
  }

  /** `sysctl -n a b c` prints only values, one per line, in the order asked. */
  public static Map<String, String> valuesOnly(String text, List<String> names)
      throws UnrecognisedOutput {
    String[] lines = (text == null ? "" : text.strip()).split("\\R");
    if (lines.length != names.size() || lines[0].isEmpty()) {
      throw new UnrecognisedOutput("expected " + names.size() + " value line(s) for " + names
          + ", got " + (lines[0].isEmpty() ? 0 : lines.length));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.length; i++) {
      out.put(names.get(i), lines[i].strip());
    }
    return out;
  }

  public static SysctlFacts facts(Map<String, String> v) {
    SwapUsage swap = null;
    if (v.containsKey("vm.swapusage")) {
      try {
        swap = SwapUsageParser.parse(v.get("vm.swapusage"));
      } catch (UnrecognisedOutput e) {
        swap = null;
      }
    }
    String model = v.get("hw.model");
    Boolean vm = null;
    if (v.containsKey("kern.hv_vmm_present")) {
      vm = "1".equals(v.get("kern.hv_vmm_present"));
    } else if (model != null) {
      vm = model.startsWith("VirtualMac");
    }
    String wake = v.get("kern.wakereason");
    return new SysctlFacts(
        model,
        Numbers.longOrNull(v.get("hw.memsize")),
        v.get("machdep.cpu.brand_string"),
        Numbers.intOrNull(v.get("hw.perflevel0.physicalcpu")),
        Numbers.intOrNull(v.get("hw.perflevel1.physicalcpu")),
        Numbers.intOrNull(v.get("hw.logicalcpu")),
        seconds(v.get("kern.boottime")),
        seconds(v.get("kern.sleeptime")),
        seconds(v.get("kern.waketime")),
        wake == null || wake.isBlank() ? null : wake,
        v.get("kern.osproductversion"),
        v.get("kern.osversion"),
        swap,
        pressure(v.get("kern.memorystatus_vm_pressure_level")),
        vm,
        v);
  }

  /** kern.memorystatus_vm_pressure_level: 1 normal, 2 warn, 4 critical. */
  public static String pressure(String level) {
    Integer l = Numbers.intOrNull(level);
    if (l == null) {
      return null;
    }
    return switch (l) {
      case 1 -> "normal";
      case 2 -> "warn";
      case 4 -> "critical";
      default -> "unknown(" + l + ")";
    };
  }

  static Long seconds(String timeval) {
    if (timeval == null) {
      return null;
    }
    Matcher m = SEC.matcher(timeval);
    if (!m.find()) {
      return null;
    }
    long s = Long.parseLong(m.group(1));
    return s == 0 ? null : s; // 0 means "never" (no sleep since boot)
  }
}
