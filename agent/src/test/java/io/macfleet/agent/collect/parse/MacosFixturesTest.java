package io.macfleet.agent.collect.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.macfleet.agent.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in fixtures/macos/ is run through the parser for its command: it must parse, or be
 * reported as unrecognised output; never an exception. Values are checked file by file in the other tests.
 */
class MacosFixturesTest {
  /** File name prefix to parser kind, most specific first. */
  static final Map<String, String> KIND_BY_PREFIX = new LinkedHashMap<>();

  static {
    KIND_BY_PREFIX.put("ioreg-r-k-AppleClamshellState", "ioreg-clamshell");
    KIND_BY_PREFIX.put("launchctl-list", "launchctl-list");
    KIND_BY_PREFIX.put("launchctl-print", "launchctl-print");
    KIND_BY_PREFIX.put("launchd-plist", "launchd-plist");
    KIND_BY_PREFIX.put("memory_pressure", "memory_pressure");
    KIND_BY_PREFIX.put("notifyutil-g-thermalpressurelevel", "notifyutil-thermal");
    KIND_BY_PREFIX.put("pmset-g-assertions", "pmset-assertions");
    KIND_BY_PREFIX.put("pmset-g-batt", "pmset-batt");
    KIND_BY_PREFIX.put("pmset-g-custom", "pmset-settings");
    KIND_BY_PREFIX.put("pmset-g-log", "pmset-log");
    KIND_BY_PREFIX.put("pmset-g-stats", "pmset-stats");
    KIND_BY_PREFIX.put("pmset-g-therm", "pmset-therm");
    KIND_BY_PREFIX.put("pmset-g.", "pmset-settings");
    KIND_BY_PREFIX.put("powermetrics", "powermetrics");
    KIND_BY_PREFIX.put("sw_vers", "sw_vers");
    KIND_BY_PREFIX.put("sysctl-n-machdep.cpu.brand_string", "cpu-brand");
    KIND_BY_PREFIX.put("sysctl-n-vm.swapusage", "swapusage");
    KIND_BY_PREFIX.put("sysctl-vm.swapusage", "swapusage");
    KIND_BY_PREFIX.put("sysctl", "sysctl");
    KIND_BY_PREFIX.put("system_profiler-SPDisplaysDataType", "system_profiler-displays");
    KIND_BY_PREFIX.put("system_profiler", "system_profiler-hardware");
    KIND_BY_PREFIX.put("uptime", "uptime");
    KIND_BY_PREFIX.put("vm_stat", "vm_stat");
  }

  /** Captures that cannot be read as their kind, with why; everything else must parse. */
  static final Set<String> EXPECTED_UNRECOGNISED = Set.of(
      // `sysctl -n` prints bare values: read with SysctlParser.valuesOnly (see SysctlParserTest)
      "sysctl-n-hw.model-hw.memsize.idx57941573987-Mac17-4-24GB.txt");

  static String kindOf(String file) {
    for (var e : KIND_BY_PREFIX.entrySet()) {
      if (file.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Test
  void everyCaptureParsesOrIsReportedUnrecognised() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Fixtures.dir().resolve("macos"))) {
      files = s.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals("README.md")) // the captures' sources
          .sorted()
          .toList();
    }
    assertThat(files).hasSize(72);
    int parsed = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      String kind = kindOf(name);
      assertThat(kind).as("no parser kind for " + name).isNotNull();
      String text = Files.readString(f);
      try {
        Object v = ParserRegistry.parse(kind, text);
        assertThat(v).as(name).isNotNull();
        assertThat(EXPECTED_UNRECOGNISED)
            .as(name + " parsed but was expected to be unrecognised")
            .doesNotContain(name);
        parsed++;
      } catch (UnrecognisedOutput e) {
        assertThat(EXPECTED_UNRECOGNISED)
            .as(name + " unrecognised: " + e.getMessage())
            .contains(name);
        assertThat(e.getMessage()).isNotBlank();
      } catch (RuntimeException e) {
        fail(name + " threw " + e, e);
      }
    }
    assertThat(parsed).isEqualTo(72 - EXPECTED_UNRECOGNISED.size());
  }

  @Test
  void garbageIsUnrecognisedForEveryKind() {
    for (String kind : ParserRegistry.kinds()) {
      for (String garbage :
          new String[] {"", "zsh: command not found\n", "\u0000\u0001\u0002", "{\"a\":1}"}) {
        try {
          ParserRegistry.parse(kind, garbage);
          fail(kind + " accepted garbage " + garbage.replace("\u0000", "\\0"));
        } catch (UnrecognisedOutput e) {
          assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
          fail(kind + " threw " + e + " on garbage", e);
        }
      }
    }
  }
}
