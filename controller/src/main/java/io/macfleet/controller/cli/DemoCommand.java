package io.macfleet.controller.cli;

import io.macfleet.controller.demo.DemoFleet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start a throw-away fleet (controller, three agents, three simulated Ollamas), "
        + "show `hosts` and `drift`, then stop and delete everything.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--agent-jar",
      paramLabel = "JAR",
      description = "The agent's runnable jar (default: $MACFLEET_AGENT_JAR, set by bin/macfleet).")
  Path agentJar;

  @Option(
      names = "--keep",
      description = "Keep the temporary directory (logs, database) for a look afterwards.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Path jar = agentJar;
    if (jar == null) {
      String env = System.getenv("MACFLEET_AGENT_JAR");
      String prop = System.getProperty("macfleet.agent.jar");
      jar = env != null && !env.isBlank() ? Path.of(env) : prop != null ? Path.of(prop) : null;
    }
    if (jar == null || !Files.isReadable(jar)) {
      throw new CliException(
          ExitCodes.ERROR,
          "agent jar not found" + (jar == null ? "" : " at " + jar)
              + "; run the demo as `bin/macfleet demo`, which builds it, or pass --agent-jar");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return new DemoFleet(jar, out, err, keep)
        .run((args, w) -> MacfleetMain.run(w, err, args.toArray(new String[0])));
  }
}
