package io.macfleet.agent.collect.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsers `macfleet-agent parse KIND FILE` can run, by the kind names the README documents. */
public final class ParserRegistry {
  /** A parser from a saved output to a value that serialises to JSON. */
  @FunctionalInterface
  public interface Parser {
    Object parse(String text) throws UnrecognisedOutput;
  }

  private static final Map<String, Parser> PARSERS = new LinkedHashMap<>();

  static {
    PARSERS.put(
        "sw_vers",
        t -> SwVersParser.parse(t)
            .orElseThrow(() -> new UnrecognisedOutput(
                "expected 'ProductVersion:' and 'BuildVersion:' (sw_vers)")));
    PARSERS.put("sysctl", t -> SysctlParser.facts(SysctlParser.values(t)));
    PARSERS.put("cpu-brand", t -> {
      Chip c = ChipParser.parse(t);
      if (c.brand().isEmpty()
          || c.brand().contains("\n")
          || c.brand().contains(":")
          || !c.brand().matches("[\\p{Print}]+")) {
        throw new UnrecognisedOutput(
            "expected one brand string line (sysctl -n machdep.cpu.brand_string)");
      }
      return c;
    });
    PARSERS.put("swapusage", SwapUsageParser::parse);
    PARSERS.put("pmset-batt", PmsetBattParser::parse);
    PARSERS.put("pmset-therm", PmsetThermParser::parse);
    PARSERS.put("pmset-assertions", PmsetAssertionsParser::parse);
    PARSERS.put("pmset-settings", PmsetSettingsParser::parse);
    PARSERS.put("pmset-stats", PmsetStatsParser::parse);
    PARSERS.put("pmset-log", PmsetLogParser::parse);
    PARSERS.put("powermetrics", PowermetricsParser::parse);
    PARSERS.put("notifyutil-thermal", NotifyutilThermalParser::parse);
    PARSERS.put("vm_stat", VmStatParser::parse);
    PARSERS.put("memory_pressure", MemoryPressureParser::parse);
    PARSERS.put("uptime", UptimeParser::parse);
    PARSERS.put("system_profiler-hardware", SystemProfilerHardwareParser::parse);
    PARSERS.put("system_profiler-displays", SystemProfilerDisplaysParser::parse);
    PARSERS.put("ioreg-clamshell", IoregClamshellParser::parse);
    PARSERS.put("launchctl-print", LaunchctlPrintParser::parse);
    PARSERS.put("launchctl-list", LaunchctlListParser::parse);
    PARSERS.put("launchd-plist", PlistReader::readDict);
  }

  private ParserRegistry() {}

  public static Set<String> kinds() {
    return PARSERS.keySet();
  }

  public static Object parse(String kind, String text) throws UnrecognisedOutput {
    Parser p = PARSERS.get(kind);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown kind '" + kind + "'; one of: " + String.join(", ", kinds()));
    }
    return p.parse(text);
  }

  public static List<String> kindList() {
    return List.copyOf(PARSERS.keySet());
  }
}
