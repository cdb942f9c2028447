package io.macfleet.agent.cli;

import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.CommandRunner;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "collect",
    aliases = "snapshot",
    mixinStandardHelpOptions = true,
    description =
        "Collect one snapshot of this host (identity, telemetry, Ollama) and print it; with --replay, "
            + "build it from a directory of saved command outputs instead.")
final class CollectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--ollama",
      paramLabel = "URL",
      defaultValue = OllamaClient.DEFAULT_URL,
      description = "Ollama base URL (default: ${DEFAULT-VALUE}); not contacted with --replay.")
  String ollama;

  @Option(
      names = "--ollama-log",
      paramLabel = "FILE",
      description = "Ollama's server.log, for its settings.")
  Path ollamaLog;

  @Option(
      names = "--replay",
      paramLabel = "DIR",
      description =
          "Saved outputs, one file per kind: sw_vers.txt, sysctl.txt, pmset-batt.txt, pmset-therm.txt, "
              + "pmset-assertions.txt, pmset-settings.txt, pmset-stats.txt, notifyutil-thermal.txt, powermetrics.txt, "
              + "vm_stat.txt, memory_pressure.txt, system_profiler-displays.txt, ioreg-clamshell.txt, "
              + "ioreg-platform.txt, ollama-server-log.txt (see the README).")
  Path replay;

  @Option(names = "--name", paramLabel = "NAME", description = "Host name override.")
  String name;

  @Option(names = "--json", description = "Print JSON (the default).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    HostCollectors host;
    OllamaInventoryCollector inventory = null;
    if (replay != null) {
      if (!Files.isDirectory(replay)) {
        spec.commandLine().getErr().println("error: --replay " + replay + " is not a directory");
        return 2;
      }
      host = HostCollectors.replay(replay);
    } else {
      host = HostCollectors.forThisHost(new CommandRunner(), Optional.ofNullable(ollamaLog));
      inventory = new OllamaInventoryCollector(new OllamaClient(ollama));
    }
    SnapshotCollector c =
        new SnapshotCollector(host, inventory, name, Duration.ZERO, Clock.systemUTC());
    spec.commandLine().getOut().println(io.macfleet.shared.ProtoJson.json(c.collect(0, 0)));
    return 0;
  }
}
