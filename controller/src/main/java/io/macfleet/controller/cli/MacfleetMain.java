package io.macfleet.controller.cli;

import io.macfleet.controller.fleet.FleetException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "macfleet",
    mixinStandardHelpOptions = true,
    versionProvider = MacfleetMain.Version.class,
    description =
        "macfleet: see and judge a fleet of Apple Silicon Macs serving local LLMs with Ollama.",
    footer = {"", "bin/macfleet demo runs a throw-away demo fleet on this machine."})
public final class MacfleetMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {line()};
    }

    static String line() {
      String v = MacfleetMain.class.getPackage().getImplementationVersion();
      return "macfleet " + (v == null ? "0.1.0-dev" : v);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * gRPC logs through java.util.logging to the console: a failed name lookup printed a warning and a stack trace
   * before the CLI's own one-line error. The CLI says what went wrong itself; the logger is held here because
   * java.util.logging keeps only weak references to configured loggers.
   */
  private static java.util.logging.Logger grpcLog;

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // what scripts call to see the tool is there: answered before picocli and logging are loaded
      System.out.println(Version.line());
      return;
    }
    if (args.length == 0 || !args[0].equals("serve")) {
      grpcLog = java.util.logging.Logger.getLogger("io.grpc");
      grpcLog.setLevel(java.util.logging.Level.OFF);
    }
    configureLogging();
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** slf4j-simple's format and levels for the CLI and the controller it runs (the demo's included). */
  public static void configureLogging() {
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.quartz", "warn");
  }

  /** Entry point for the local CLI and tests: all output goes through out/err; "@FILE" arguments are read. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, true, args);
  }

  /**
   * {@code expandAtFiles} false for a command line that comes from outside the local user (the admin SSH endpoint):
   * picocli would otherwise read the arguments of "@FILE" from any file the controller can read.
   */
  public static int run(PrintWriter out, PrintWriter err, boolean expandAtFiles, String... args) {
    return run(out, err, expandAtFiles, null, args);
  }

  /** A command line from the admin SSH endpoint: no {@code @FILE} expansion, the endpoint's credential and user. */
  public static int overSsh(
      PrintWriter out, PrintWriter err, String token, String actor, String... args) {
    return run(out, err, false, new InProcessCaller(token, actor), args);
  }

  /** As above, for a {@code caller} inside this process (the admin SSH endpoint); null for the local CLI. */
  public static int run(
      PrintWriter out,
      PrintWriter err,
      boolean expandAtFiles,
      InProcessCaller caller,
      String... args) {
    InProcessCaller.CURRENT.set(caller);
    try {
      return execute(out, err, expandAtFiles, args);
    } finally {
      InProcessCaller.CURRENT.remove();
    }
  }

  private static int execute(
      PrintWriter rawOut, PrintWriter rawErr, boolean expandAtFiles, String... args) {
    // no control character from a Mac, a file or an error message reaches the terminal raw
    PrintWriter out = TerminalWriter.wrap(rawOut);
    PrintWriter err = TerminalWriter.wrap(rawErr);
    CommandLine cl = new CommandLine(new MacfleetMain());
    cl.setExpandAtFiles(expandAtFiles);
    Subcommands.add(cl, args);
    cl.setOut(out).setErr(err);
    // a mistyped or missing option: its one-line error and the command's usage line, not the whole
    // help
    cl.setParameterExceptionHandler((ex, cmdArgs) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter e = cmd.getErr();
      e.println("error: " + ex.getMessage());
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, e)) {
        // one line: "macfleet hosts [OPTIONS] [COMMAND]", not the synopsis wrapped over four
        cmd.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        e.println(cmd.getHelp().synopsis(0).stripTrailing());
        e.println("(" + cmd.getCommandSpec().qualifiedName() + " --help for every option)");
      }
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof CliException c) {
        cmd.getErr().println("error: " + c.getMessage());
        return c.exitCode();
      }
      if (ex instanceof FleetException f) {
        cmd.getErr().println("error: " + f.getMessage());
        return f.kind().exitCode();
      }
      if (ex instanceof IllegalArgumentException) {
        cmd.getErr().println("error: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return ExitCodes.ERROR;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
