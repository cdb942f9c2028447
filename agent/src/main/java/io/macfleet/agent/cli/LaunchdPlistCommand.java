package io.macfleet.agent.cli;

import io.macfleet.agent.install.LaunchdPlist;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "launchd-plist",
    mixinStandardHelpOptions = true,
    description = "Print the LaunchDaemon plist (label " + LaunchdPlist.LABEL
        + ") that runs this agent; install it " + "as /Library/LaunchDaemons/" + LaunchdPlist.LABEL
        + ".plist (root:wheel, 0644).")
final class LaunchdPlistCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--java",
      paramLabel = "PATH",
      description = "Absolute path of java (default: ${DEFAULT-VALUE}).",
      defaultValue = "/usr/bin/java")
  String java;

  @Option(
      names = "--jar",
      paramLabel = "PATH",
      description = "Absolute path of the agent jar (default: ${DEFAULT-VALUE}).",
      defaultValue = "/usr/local/macfleet/macfleet-agent.jar")
  String jar;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = "/Library/Application Support/macfleet-agent",
      description = "Agent state directory (default: ${DEFAULT-VALUE}).")
  String stateDir;

  @Option(
      names = "--log",
      paramLabel = "FILE",
      defaultValue = "/Library/Logs/macfleet-agent.log",
      description = "stdout/stderr file; launchd does not rotate it (default: ${DEFAULT-VALUE}).")
  String log;

  @Option(
      names = "--ollama",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:11434",
      description = "Ollama URL.")
  String ollama;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "15s",
      description = "Report interval.")
  String interval;

  @Option(
      names = "--ollama-log",
      paramLabel = "FILE",
      description = "Ollama's server.log, for its settings.")
  String ollamaLog;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "Run as this user instead of root (then powermetrics "
          + "is not used; thermal pressure still comes from notifyutil).")
  String user;

  @Override
  public Integer call() {
    DurationConverter.parse(interval);
    spec.commandLine()
        .getOut()
        .print(LaunchdPlist.render(new LaunchdPlist.Settings(
            java, jar, stateDir, log, ollama, interval, ollamaLog, user)));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
