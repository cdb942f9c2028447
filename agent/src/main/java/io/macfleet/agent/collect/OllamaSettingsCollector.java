package io.macfleet.agent.collect;

import io.macfleet.agent.collect.parse.OllamaServerConfigParser;
import io.macfleet.proto.v1.Telemetry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Ollama's performance settings: from the last "server config" line of its server.log (macOS app and
 * Homebrew), else, on Linux, from the environment of the running `ollama serve` (readable as root).
 */
public final class OllamaSettingsCollector implements Collector {
  private static final long TAIL = 4 << 20;

  private final Optional<Path> serverLog;
  private final HostCommands replay;
  private final Path procRoot;

  /** serverLog: the log to read, when known; replay: saved outputs (kind ollama-server-log), or null. */
  public OllamaSettingsCollector(Optional<Path> serverLog, HostCommands replay, Path procRoot) {
    this.serverLog = serverLog;
    this.replay = replay;
    this.procRoot = procRoot;
  }

  @Override
  public String name() {
    return "ollama-settings";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    if (replay != null) {
      String log = replay
          .output("ollama-server-log")
          .orElseThrow(() -> new NotApplicable("no ollama-server-log.txt"));
      into.putAllOllamaSettings(OllamaServerConfigParser.parse(log));
      return;
    }
    if (serverLog.isPresent() && Files.isReadable(serverLog.get())) {
      into.putAllOllamaSettings(OllamaServerConfigParser.parse(tail(serverLog.get())));
      return;
    }
    Optional<Map<String, String>> env = fromRunningServer();
    if (env.isPresent()) {
      into.putAllOllamaSettings(env.get());
      return;
    }
    throw new NotApplicable(
        "no readable Ollama server.log and no readable `ollama serve` environment");
  }

  private Optional<Map<String, String>> fromRunningServer() {
    if (procRoot == null || !Files.isDirectory(procRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> pids = Files.list(procRoot)) {
      for (Path p :
          (Iterable<Path>) pids.filter(d -> d.getFileName().toString().matches("\\d+"))::iterator) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains("ollama")
              && cmd.contains("serve")
              && Files.isReadable(p.resolve("environ"))) {
            return Optional.of(OllamaServerConfigParser.fromEnvironment(
                new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8)));
          }
        } catch (IOException ignored) {
          // the process went away or is not ours to read
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String tail(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, f.length() - TAIL);
      f.seek(start);
      byte[] b = new byte[(int) (f.length() - start)];
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
