package io.macfleet.demo;

import io.macfleet.controller.cli.CliException;
import io.macfleet.controller.cli.ExitCodes;
import io.macfleet.controller.cli.MacfleetMain;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `bin/macfleet demo`: a tool beside the product, not in the controller's jar. bin/macfleet runs it on the
 * controller's classpath and tells it where the agent's and the simulator's jars are.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start a throw-away fleet on this machine (a controller, four agents, four simulated "
            + "Ollamas), show what macfleet sees and judges (hosts, drift, events, runs, report, a failure, an "
            + "environment and a software-regression verdict), then stop and delete everything.")
public final class DemoMain implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--agent-jar",
      paramLabel = "JAR",
      description = "The agent's runnable jar (default: $MACFLEET_AGENT_JAR, set by bin/macfleet).")
  Path agentJar;

  @Option(
      names = "--simulator-jar",
      paramLabel = "JAR",
      description =
          "The Ollama API simulator's runnable jar (default: $MACFLEET_SIMULATOR_JAR, set by "
              + "bin/macfleet).")
  Path simulatorJar;

  @Option(
      names = "--keep",
      description = "Keep the temporary directory (logs, database) for a look afterwards.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Path agent = jar(agentJar, "MACFLEET_AGENT_JAR", "agent", "--agent-jar");
    Path simulator = jar(simulatorJar, "MACFLEET_SIMULATOR_JAR", "simulator", "--simulator-jar");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return new DemoFleet(agent, simulator, out, err, keep)
        .run((args, w) -> MacfleetMain.run(w, err, args.toArray(new String[0])));
  }

  private static Path jar(Path given, String env, String what, String option) {
    Path jar = given;
    if (jar == null) {
      String fromEnv = System.getenv(env);
      jar = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : null;
    }
    if (jar == null || !Files.isReadable(jar)) {
      throw new CliException(
          ExitCodes.ERROR,
          "the " + what + "'s jar was not found" + (jar == null ? "" : " at " + jar)
              + "; run the demo as `bin/macfleet demo`, which builds it, or pass " + option);
    }
    return jar;
  }

  public static void main(String[] args) {
    MacfleetMain.configureLogging();
    // the demo's own narration is the output; the embedded controller's INFO lines would bury it
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    CommandLine cl = new CommandLine(new DemoMain()).setOut(out).setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return ex instanceof CliException c ? c.exitCode() : ExitCodes.ERROR;
    });
    System.exit(cl.execute(args));
  }
}
