package io.macfleet.agent.cli;

import io.macfleet.agent.AgentVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "macfleet-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description =
        "macfleet agent: reports this Mac's Ollama inventory and software triple to a controller.",
    footer = {
      "",
      "bin/macfleet-agent simulate-ollama serves a simulated Ollama API for tests and demos."
    },
    subcommands = {
      RunCommand.class,
      EnrollCommand.class,
      StatusCommand.class,
      CollectCommand.class,
      ParseCommand.class,
      ProbeCommand.class,
      LaunchdPlistCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AgentMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"macfleet-agent " + AgentVersion.get()};
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  public static void main(String[] args) {
    configureLogging();
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  static void configureLogging() {
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  /** Entry point for tests: all output goes through out/err. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new AgentMain());
    cl.setOut(out).setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return 1;
    });
    return cl.execute(args);
  }
}
