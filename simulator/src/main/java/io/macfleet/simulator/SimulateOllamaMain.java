package io.macfleet.simulator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "simulate-ollama",
    mixinStandardHelpOptions = true,
    description =
        "Serve a SIMULATED Ollama API from a profile (for tests and the demo; not Ollama).")
/**
 * The Ollama API simulator as a command: a tool for tests, benchmarks and the demo, kept out of the agent's and
 * the controller's jars. bin/macfleet-agent runs it for `simulate-ollama`.
 */
public final class SimulateOllamaMain implements Callable<Integer> {
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

  @Option(
      names = "--log",
      paramLabel = "FILE",
      description =
          "Append a server.log in Ollama's format (Gin request lines, truncation warnings) "
              + "to FILE, for the agent's --ollama-log.")
  Path log;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    try (OllamaSimulator sim = OllamaSimulator.start(profile, port, log)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      spec.commandLine().getOut().println("Ollama API simulator listening on " + sim.url());
      spec.commandLine().getOut().flush();
      stop.await();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Entry point for tests: all output goes through out/err. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new SimulateOllamaMain());
    cl.setOut(out).setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return 1;
    });
    return cl.execute(args);
  }
}
