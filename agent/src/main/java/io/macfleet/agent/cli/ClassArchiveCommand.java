package io.macfleet.agent.cli;

import io.macfleet.agent.install.LaunchdPlist;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Records the agent's class-data archive: the daemon run for a short while with the LaunchDaemon's own flags and
 * jar, the JVM writing every class it loaded to STATE_DIR/agent.jsa at exit. Each later start maps the archive
 * instead of reading and verifying those classes again: 2 to 3 MB less resident memory and a faster start. The
 * archive belongs to one jar and one JDK; after either changes the JVM warns once in the log and runs without it
 * until this runs again (the Ansible role does, after an upgrade, with the daemon stopped).
 */
@Command(
    name = "class-archive",
    mixinStandardHelpOptions = true,
    description =
        "Record the class-data archive the LaunchDaemon uses (STATE_DIR/" + LaunchdPlist.ARCHIVE
            + "): runs the enrolled agent with the daemon's flags for a short while. Stop the daemon first.")
final class ClassArchiveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--java",
      paramLabel = "PATH",
      description = "The java the LaunchDaemon runs (default: the one running this command).")
  String java;

  @Option(
      names = "--jar",
      paramLabel = "PATH",
      description =
          "The agent jar as the LaunchDaemon names it (default: the one running this command).")
  String jar;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      required = true,
      description = "The enrolled agent's state directory (the archive is written there).")
  String stateDir;

  @Option(
      names = "--ollama",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:11434",
      description = "Ollama URL (default: ${DEFAULT-VALUE}).")
  String ollama;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      defaultValue = "20",
      description = "How long the recording run lasts (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Override
  public Integer call() throws Exception {
    if (seconds < 5 || seconds > 600) {
      throw new IllegalArgumentException("--seconds must be 5 to 600, got " + seconds);
    }
    String javaPath =
        java != null ? java : ProcessHandle.current().info().command().orElse("java");
    String jarPath = jar != null
        ? jar
        : Path.of(ClassArchiveCommand.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI())
            .toString();
    if (!Files.isRegularFile(Path.of(stateDir, "agent.json"))) {
      throw new IllegalArgumentException(
          stateDir + " holds no enrollment: enroll first, so the recording run exercises the link");
    }
    Path archive = Path.of(LaunchdPlist.archive(stateDir));
    Files.deleteIfExists(archive); // a stale archive would be read, not replaced
    List<String> cmd = new ArrayList<>();
    cmd.add(javaPath);
    cmd.addAll(LaunchdPlist.JVM_FLAGS);
    cmd.add("-XX:ArchiveClassesAtExit=" + archive);
    cmd.addAll(List.of(
        "-jar",
        jarPath,
        "run",
        "--state-dir",
        stateDir,
        "--ollama",
        ollama,
        "--exit-after",
        seconds + "s"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("MALLOC_ARENA_MAX", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] output =
        p.getInputStream().readAllBytes(); // the run's own log, shown only when it fails
    if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "the recording run did not end within " + (seconds + 120) + " s");
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(archive)) {
      spec.commandLine().getErr().print(new String(output, StandardCharsets.UTF_8));
      throw new IllegalStateException("the recording run exited with " + p.exitValue()
          + (Files.isRegularFile(archive) ? "" : " and wrote no archive")
          + "; its output is above");
    }
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s (%.1f MB) from a %d s run of %s%n",
            archive, Files.size(archive) / 1e6, seconds, jarPath);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
