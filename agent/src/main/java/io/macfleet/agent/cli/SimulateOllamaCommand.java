package io.macfleet.agent.cli;

import io.macfleet.agent.ollama.OllamaSimulator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "simulate-ollama",
    mixinStandardHelpOptions = true,
    description =
        "Serve a SIMULATED Ollama API from a profile (for tests and the demo; not Ollama).")
final class SimulateOllamaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      required = true,
      description = "Simulator profile (JSON: version, models, timing).")
  Path profile;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "Port on 127.0.0.1 (0 picks a free one).")
  int port;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    try (OllamaSimulator sim = OllamaSimulator.start(profile, port)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      spec.commandLine().getOut().println("Ollama API simulator listening on " + sim.url());
      spec.commandLine().getOut().flush();
      stop.await();
    }
    return 0;
  }
}
