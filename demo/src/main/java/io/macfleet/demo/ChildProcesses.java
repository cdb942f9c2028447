package io.macfleet.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** JVM child processes started by the demo, each logging to its own file, all stopped on close. */
final class ChildProcesses implements AutoCloseable {
  private final String java;
  private final Path logDir;
  private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

  ChildProcesses(Path logDir) throws IOException {
    this.java = ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    this.logDir = logDir;
    Files.createDirectories(logDir);
  }

  /** Starts `java -jar JAR ARGS`, output to LOGDIR/name.log. */
  Process start(String name, Path jar, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-jar", jar.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(logDir.resolve(name + ".log").toFile())
        .start();
    started.add(p);
    return p;
  }

  /** Runs to completion; a non-zero exit is an error carrying the log's tail. */
  void runToEnd(String name, Path jar, List<String> args, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = start(name, jar, args);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(name + " did not finish within " + timeoutSeconds + "s\n" + tail(name));
    }
    if (p.exitValue() != 0) {
      throw new IOException(name + " failed (exit " + p.exitValue() + ")\n" + tail(name));
    }
  }

  /** Waits for a line in the child's log that starts with prefix; returns the rest of it. */
  String awaitLine(String name, Process p, String prefix, long timeoutSeconds)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Path log = logDir.resolve(name + ".log");
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith(prefix)) {
              return line.substring(prefix.length()).strip();
            }
          }
        }
      }
      if (!p.isAlive()) {
        throw new IOException(
            name + " exited (" + p.exitValue() + ") before it was ready\n" + tail(name));
      }
      Thread.sleep(100);
    }
    throw new IOException(name + " was not ready within " + timeoutSeconds + "s\n" + tail(name));
  }

  String tail(String name) {
    try {
      List<String> lines =
          Files.readAllLines(logDir.resolve(name + ".log"), StandardCharsets.UTF_8);
      return "  --- last lines of " + name + ".log ---\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "  (no log for " + name + ")";
    }
  }

  /** SIGTERM, a grace period, then SIGKILL, so no process is left behind. */
  @Override
  public void close() {
    List<Process> all;
    synchronized (started) {
      all = new ArrayList<>(started);
    }
    all.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Process p : all) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
