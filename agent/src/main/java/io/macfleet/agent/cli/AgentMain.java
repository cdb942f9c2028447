package io.macfleet.agent.cli;

import io.macfleet.agent.AgentVersion;
import java.io.PrintWriter;
import java.util.List;
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
    })
public final class AgentMain implements Runnable {
  /** Every command, in the order the help lists them. */
  static final List<Class<?>> COMMANDS = List.of(
      RunCommand.class,
      EnrollCommand.class,
      StatusCommand.class,
      CollectCommand.class,
      ParseCommand.class,
      ProbeCommand.class,
      LaunchdPlistCommand.class,
      ClassArchiveCommand.class,
      CommandLine.HelpCommand.class);

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
    io.macfleet.agent.log.AgentLogProvider.select();
  }

  /**
   * The commands to build: only the one named, when it names one, so the daemon never holds the other commands'
   * options and their reflection data for weeks; all of them for the help, a typo, or no command at all.
   */
  static List<Class<?>> chosen(String... args) {
    if (args.length > 0) {
      for (Class<?> c : COMMANDS) {
        if (c != CommandLine.HelpCommand.class
            && c.getAnnotation(Command.class).name().equals(args[0])) {
          return List.of(c);
        }
      }
    }
    return COMMANDS;
  }

  /** Entry point for tests: all output goes through out/err. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new AgentMain());
    for (Class<?> c : chosen(args)) {
      cl.addSubcommand(c);
    }
    cl.setOut(out).setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return 1;
    });
    return cl.execute(args);
  }
}
