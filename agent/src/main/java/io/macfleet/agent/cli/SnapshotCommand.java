package io.macfleet.agent.cli;

import com.google.protobuf.util.JsonFormat;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.CommandRunner;
import io.macfleet.agent.collect.IdentityCollector;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Collect once and print the snapshot the agent would report (JSON).")
final class SnapshotCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--ollama", paramLabel = "URL", defaultValue = OllamaClient.DEFAULT_URL, description = "Ollama base URL (default: ${DEFAULT-VALUE}).")
  String ollama;

  @Option(names = "--name", paramLabel = "NAME", description = "Host name override.")
  String name;

  @Override
  public Integer call() throws Exception {
    SnapshotCollector c = new SnapshotCollector(IdentityCollector.forThisHost(new CommandRunner()),
        new OllamaInventoryCollector(new OllamaClient(ollama)), name, Duration.ZERO, Clock.systemUTC());
    spec.commandLine().getOut().println(JsonFormat.printer().print(c.collect(0, 0)));
    return 0;
  }
}
