package io.macfleet.agent.cli;

import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.CommandRunner;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the agent: report to the controller every interval and on change.")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Agent state directory (default: $MACFLEET_AGENT_HOME or ~/.macfleet-agent).")
  Path stateDir;

  @Option(
      names = "--ollama",
      paramLabel = "URL",
      description = "Ollama base URL (default: ${DEFAULT-VALUE}).",
      defaultValue = OllamaClient.DEFAULT_URL)
  String ollama;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "15s",
      description = "Report interval (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--change-poll",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5s",
      description = "How often to look for changes between reports (default: ${DEFAULT-VALUE}).")
  Duration changePoll;

  @Option(
      names = "--spool-max",
      paramLabel = "N",
      defaultValue = "10000",
      description =
          "Reports kept on disk while the controller is unreachable (default: ${DEFAULT-VALUE}).")
  int spoolMax;

  @Option(
      names = "--ollama-log",
      paramLabel = "FILE",
      description = "Ollama's server.log, for its performance settings and Gate C's view of its "
          + "requests (read incrementally; e.g. /Users/NAME/.ollama/logs/server.log).")
  Path ollamaLog;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Report under this host name instead of the system's.")
  String name;

  @Option(
      names = "--replay",
      paramLabel = "DIR",
      description = "Read the Mac's identity and telemetry from saved "
          + "command outputs (DIR/KIND.txt, re-read every round) instead of running the commands: for demos and tests "
          + "off a Mac. See `collect --replay`.")
  Path replay;

  @Option(
      names = "--exit-after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Stop after this long (the run that records the class-data archive, see class-archive).")
  Duration exitAfter;

  @Override
  public Integer call() throws Exception {
    if (interval.toSeconds() < 1 || changePoll.toMillis() < 100) {
      throw new IllegalArgumentException(
          "--interval must be at least 1s and --change-poll at least 100ms");
    }
    AgentState state = new AgentState(stateDir == null ? AgentState.defaultDir() : stateDir);
    CommandRunner runner = new CommandRunner();
    if (replay != null && !java.nio.file.Files.isDirectory(replay)) {
      throw new IllegalArgumentException("--replay " + replay + " is not a directory");
    }
    int port = ollamaPort(ollama);
    HostCollectors host = replay != null
        ? HostCollectors.replay(replay, Optional.ofNullable(ollamaLog), port)
        : HostCollectors.forThisHost(runner, Optional.ofNullable(ollamaLog), port);
    SnapshotCollector collector = new SnapshotCollector(
        host,
        new OllamaInventoryCollector(new OllamaClient(ollama)),
        name,
        interval,
        Clock.systemUTC());
    CountDownLatch stop = new CountDownLatch(1);
    try (AgentDaemon daemon = new AgentDaemon(
        state,
        collector,
        new AgentDaemon.Settings(
            interval,
            changePoll.compareTo(interval) > 0 ? interval : changePoll,
            spoolMax,
            ollama,
            host))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      daemon.start();
      if (exitAfter == null) {
        stop.await();
      } else {
        stop.await(exitAfter.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    return 0;
  }

  /** The port of --ollama, whose callers Gate C inventories (the scheme's default when the URL names none). */
  static int ollamaPort(String url) {
    java.net.URI u = java.net.URI.create(url);
    if (u.getPort() > 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
