package io.macfleet.agent.collect;

import io.macfleet.agent.collect.clients.ClientsCollector;
import io.macfleet.agent.collect.clients.ConnectionSource;
import io.macfleet.agent.collect.clients.LsofConnections;
import io.macfleet.agent.collect.clients.ProcConnections;
import io.macfleet.agent.collect.clients.ServerLogTail;
import io.macfleet.agent.collect.linux.LinuxMemoryCollector;
import io.macfleet.agent.collect.linux.LinuxPowerCollector;
import io.macfleet.agent.collect.linux.LinuxThermalCollector;
import io.macfleet.agent.collect.linux.LinuxUptimeCollector;
import io.macfleet.agent.collect.mac.MacLidCollector;
import io.macfleet.agent.collect.mac.MacMemoryCollector;
import io.macfleet.agent.collect.mac.MacPowerCollector;
import io.macfleet.agent.collect.mac.MacSleepCollector;
import io.macfleet.agent.collect.mac.MacThermalCollector;
import io.macfleet.agent.collect.mac.MacUptimeCollector;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Which identity and telemetry collectors a host gets: macOS (live or replayed outputs) or Linux. */
public record HostCollectors(
    IdentityCollector identity,
    TelemetryCollector telemetry,
    Runnable beforeEachRound,
    Collector ollamaSettingsCollector,
    ClientsCollector clients) {

  /** Ollama's settings alone: a probe reads them twice per run and must not spawn every telemetry command. */
  public java.util.Map<String, String> ollamaSettings() {
    return new TelemetryCollector(List.of(ollamaSettingsCollector))
        .collect()
        .getOllamaSettingsMap();
  }

  public static boolean isMac() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.contains("mac") || os.contains("darwin");
  }

  public static HostCollectors forThisHost(CommandRunner runner, Optional<Path> ollamaLog) {
    return forThisHost(runner, ollamaLog, DEFAULT_OLLAMA_PORT);
  }

  /** ollamaPort: where the local Ollama listens, whose callers Gate C inventories. */
  public static HostCollectors forThisHost(
      CommandRunner runner, Optional<Path> ollamaLog, int ollamaPort) {
    if (isMac()) {
      return mac(
          new LiveMacCommands(runner),
          ollamaLog,
          null,
          clients(new LsofConnections(runner, null), ollamaLog, ollamaPort));
    }
    return linux(Path.of("/"), ollamaLog, ollamaPort);
  }

  /** replay: a directory of saved outputs (KIND.txt) instead of live commands. */
  public static HostCollectors replay(Path dir) {
    return replay(dir, Optional.empty(), DEFAULT_OLLAMA_PORT);
  }

  /** As {@link #replay(Path)}, with a live server.log for Gate C (the demo's simulators write one). */
  public static HostCollectors replay(Path dir, Optional<Path> ollamaLog, int ollamaPort) {
    ReplayCommands r = new ReplayCommands(dir);
    return mac(
        r, Optional.empty(), r, clients(new LsofConnections(null, r), ollamaLog, ollamaPort));
  }

  public static final int DEFAULT_OLLAMA_PORT = 11434;

  private static ClientsCollector clients(
      ConnectionSource source, Optional<Path> ollamaLog, int port) {
    return new ClientsCollector(
        source,
        ollamaLog.map(p -> new ServerLogTail(p, ClientsCollector.MAX_READ_BYTES)),
        port,
        ZoneId.systemDefault());
  }

  static HostCollectors mac(
      HostCommands live, Optional<Path> ollamaLog, HostCommands replay, ClientsCollector clients) {
    CachingCommands cmds = new CachingCommands(live);
    Collector settings = new OllamaSettingsCollector(ollamaLog, replay, null);
    return new HostCollectors(
        new MacIdentityCollector(cmds),
        new TelemetryCollector(List.of(
            new MacThermalCollector(cmds),
            new MacPowerCollector(cmds),
            new MacSleepCollector(cmds),
            new MacLidCollector(cmds),
            new MacMemoryCollector(cmds),
            new MacUptimeCollector(cmds),
            settings)),
        cmds::clear,
        settings,
        clients);
  }

  public static HostCollectors linux(Path root, Optional<Path> ollamaLog) {
    return linux(root, ollamaLog, DEFAULT_OLLAMA_PORT);
  }

  public static HostCollectors linux(Path root, Optional<Path> ollamaLog, int ollamaPort) {
    Collector settings = new OllamaSettingsCollector(ollamaLog, null, root.resolve("proc"));
    return new HostCollectors(
        new LinuxIdentityCollector(root),
        new TelemetryCollector(List.of(
            new LinuxThermalCollector(root),
            new LinuxPowerCollector(root),
            new LinuxMemoryCollector(root),
            new LinuxUptimeCollector(root),
            settings)),
        () -> {},
        settings,
        clients(new ProcConnections(root.resolve("proc")), ollamaLog, ollamaPort));
  }
}
