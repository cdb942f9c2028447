package io.macfleet.agent.collect;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real macOS commands behind each kind, by absolute path (launchd's PATH is minimal). powermetrics
 * runs only as root; system_profiler is slow and cached. `memory_pressure -l` is never run: it creates
 * real memory pressure.
 */
public final class LiveMacCommands implements HostCommands {
  static final List<String> SYSCTL_NAMES = List.of(
      "hw.model",
      "hw.memsize",
      "machdep.cpu.brand_string",
      "hw.ncpu",
      "hw.perflevel0.physicalcpu",
      "hw.perflevel1.physicalcpu",
      "kern.boottime",
      "kern.sleeptime",
      "kern.waketime",
      "kern.wakereason",
      "vm.swapusage",
      "kern.memorystatus_vm_pressure_level",
      "kern.osproductversion",
      "kern.osversion",
      "kern.hv_vmm_present");

  private static final Map<String, List<String>> COMMANDS = Map.ofEntries(
      Map.entry("sw_vers", List.of("/usr/bin/sw_vers")),
      Map.entry("sysctl", concat("/usr/sbin/sysctl", SYSCTL_NAMES)),
      Map.entry("pmset-batt", List.of("/usr/bin/pmset", "-g", "batt")),
      Map.entry("pmset-therm", List.of("/usr/bin/pmset", "-g", "therm")),
      Map.entry("pmset-assertions", List.of("/usr/bin/pmset", "-g", "assertions")),
      Map.entry("pmset-settings", List.of("/usr/bin/pmset", "-g")),
      Map.entry("pmset-stats", List.of("/usr/bin/pmset", "-g", "stats")),
      Map.entry(
          "notifyutil-thermal",
          List.of("/usr/bin/notifyutil", "-g", "com.apple.system.thermalpressurelevel")),
      Map.entry(
          "powermetrics",
          List.of("/usr/bin/powermetrics", "--samplers", "thermal", "-n", "1", "-i", "200")),
      Map.entry("vm_stat", List.of("/usr/bin/vm_stat")),
      Map.entry("memory_pressure", List.of("/usr/bin/memory_pressure")),
      Map.entry(
          "system_profiler-displays", List.of("/usr/sbin/system_profiler", "SPDisplaysDataType")),
      Map.entry(
          "ioreg-clamshell",
          List.of("/usr/sbin/ioreg", "-r", "-k", "AppleClamshellState", "-d", "1", "-w0")),
      Map.entry(
          "ioreg-platform", List.of("/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice")));

  private static final Duration SLOW_TTL = Duration.ofMinutes(10);

  private final CommandRunner runner;
  private final CommandRunner slowRunner =
      new CommandRunner(Duration.ofSeconds(20), CommandRunner.DEFAULT_OUTPUT_CAP);
  private final boolean root;
  private final Map<String, Cached> slowCache = new ConcurrentHashMap<>();

  private record Cached(String output, Instant at) {}

  public LiveMacCommands(CommandRunner runner) {
    this.runner = runner;
    this.root = "root".equals(System.getProperty("user.name"));
  }

  private static List<String> concat(String head, List<String> tail) {
    List<String> l = new java.util.ArrayList<>();
    l.add(head);
    l.addAll(tail);
    return List.copyOf(l);
  }

  @Override
  public Optional<String> output(String kind) throws CommandFailed {
    List<String> argv = COMMANDS.get(kind);
    if (argv == null || !CommandRunner.available(argv.get(0))) {
      return Optional.empty();
    }
    if (kind.equals("powermetrics") && !root) {
      return Optional.empty(); // it needs root; notifyutil covers thermal pressure without it
    }
    boolean slow = kind.startsWith("system_profiler");
    if (slow) {
      Cached c = slowCache.get(kind);
      if (c != null && c.at().plus(SLOW_TTL).isAfter(Instant.now())) {
        return Optional.of(c.output());
      }
    }
    CommandResult r;
    try {
      r = (slow ? slowRunner : runner)
          .run(argv.get(0), argv.subList(1, argv.size()).toArray(new String[0]));
    } catch (IOException e) {
      throw new CommandFailed(argv.get(0) + " could not run: " + e.getMessage());
    }
    // sysctl exits non-zero for a name this macOS lacks, yet prints all the others
    boolean usable =
        r.ok() || kind.equals("sysctl") && !r.timedOut() && !r.stdout().isBlank();
    if (!usable) {
      throw new CommandFailed(String.join(" ", argv) + ": " + r.failureSummary());
    }
    if (slow) {
      slowCache.put(kind, new Cached(r.stdout(), Instant.now()));
    }
    return Optional.of(r.stdout());
  }
}
