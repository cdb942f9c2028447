package io.macfleet.agent.collect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands the way a LaunchDaemon must: absolute path (launchd's PATH is minimal),
 * argument vector (never a shell string), LC_ALL=C so numbers and dates parse, a timeout,
 * stderr kept apart and output capped.
 */
public final class CommandRunner {
  public static final int DEFAULT_OUTPUT_CAP = 256 * 1024;

  private final Duration timeout;
  private final int outputCap;

  public CommandRunner(Duration timeout, int outputCap) {
    this.timeout = timeout;
    this.outputCap = outputCap;
  }

  public CommandRunner() {
    this(Duration.ofSeconds(5), DEFAULT_OUTPUT_CAP);
  }

  /** True when the executable exists, so a missing tool reads "not applicable", not "failed". */
  public static boolean available(String absolutePath) {
    Path p = Path.of(absolutePath);
    return p.isAbsolute() && Files.isExecutable(p);
  }

  public CommandResult run(String absolutePath, String... args) throws IOException {
    if (!Path.of(absolutePath).isAbsolute()) {
      throw new IllegalArgumentException("command must be an absolute path: " + absolutePath);
    }
    List<String> argv = new ArrayList<>();
    argv.add(absolutePath);
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("LC_ALL", "C");
    pb.environment().put("LANG", "C");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = pb.start();
    CompletableFuture<Capped> out =
        CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    CompletableFuture<Capped> err =
        CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + absolutePath, e);
    }
    if (!finished) {
      process.destroyForcibly();
    }
    Capped o = out.join();
    Capped e = err.join();
    return new CommandResult(
        finished ? process.exitValue() : -1, o.text, e.text, !finished, o.truncated);
  }

  private record Capped(String text, boolean truncated) {}

  private Capped drain(InputStream in) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    boolean truncated = false;
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        int room = outputCap - buf.size();
        if (room > 0) {
          buf.write(chunk, 0, Math.min(room, n));
        }
        if (n > room) {
          truncated = true; // keep reading so the child never blocks on a full pipe
        }
      }
    } catch (IOException ignored) {
      // the process was killed; what we have is what we report
    }
    return new Capped(buf.toString(StandardCharsets.UTF_8), truncated);
  }
}
