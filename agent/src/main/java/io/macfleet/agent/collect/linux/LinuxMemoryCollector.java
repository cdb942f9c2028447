package io.macfleet.agent.collect.linux;

import io.macfleet.agent.collect.Collector;
import io.macfleet.agent.collect.parse.KeyValueParser;
import io.macfleet.proto.v1.Memory;
import io.macfleet.proto.v1.MemoryPressure;
import io.macfleet.proto.v1.Telemetry;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Swap (/proc/meminfo), swapins/outs (/proc/vmstat) and PSI memory pressure (/proc/pressure/memory),
 * mapped to normal/warn/critical: "some" stall above 10 % of the last 10 s is warn, "full" above 10 % critical.
 */
public final class LinuxMemoryCollector implements Collector {
  private static final Pattern PSI = Pattern.compile("(some|full) avg10=([\\d.]+)");

  private final Path root;

  public LinuxMemoryCollector(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    String meminfo = LinuxFiles.read(root, "proc/meminfo")
        .orElseThrow(() -> new NotApplicable("no /proc/meminfo"));
    Map<String, String> kv = KeyValueParser.colon(meminfo);
    long total = KeyValueParser.kilobytes(kv, "SwapTotal");
    long free = KeyValueParser.kilobytes(kv, "SwapFree");
    long memTotal = KeyValueParser.kilobytes(kv, "MemTotal");
    long memAvail = KeyValueParser.kilobytes(kv, "MemAvailable");
    if (total < 0 || memTotal <= 0) {
      throw new IllegalStateException("/proc/meminfo has no SwapTotal or MemTotal");
    }
    Memory.Builder m = into.getMemoryBuilder()
        .setSwapTotalBytes(total)
        .setSwapFreeBytes(Math.max(0, free))
        .setSwapUsedBytes(Math.max(0, total - Math.max(0, free)));
    if (memAvail >= 0) {
      m.setFreePercent((int) Math.round(100.0 * memAvail / memTotal));
    }
    LinuxFiles.read(root, "proc/vmstat").ifPresent(vm -> {
      for (String line : vm.split("\\R")) {
        String[] p = line.split("\\s+");
        if (p.length == 2) {
          switch (p[0]) {
            case "pswpin" -> m.setSwapins(Long.parseLong(p[1]));
            case "pswpout" -> {
              m.setSwapouts(Long.parseLong(p[1]));
              m.setPageouts(Long.parseLong(p[1]));
            }
            default -> {}
          }
        }
      }
    });
    LinuxFiles.read(root, "proc/pressure/memory").ifPresent(psi -> {
      Matcher x = PSI.matcher(psi);
      while (x.find()) {
        double v = Double.parseDouble(x.group(2));
        if (x.group(1).equals("some")) {
          m.setPsiSomeAvg10(v);
        } else {
          m.setPsiFullAvg10(v);
        }
      }
      m.setPressure(
          m.hasPsiFullAvg10() && m.getPsiFullAvg10() > 10
              ? MemoryPressure.MEMORY_CRITICAL
              : m.hasPsiSomeAvg10() && m.getPsiSomeAvg10() > 10
                  ? MemoryPressure.MEMORY_WARN
                  : MemoryPressure.MEMORY_NORMAL);
    });
  }
}
