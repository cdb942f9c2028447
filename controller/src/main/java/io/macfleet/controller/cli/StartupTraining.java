package io.macfleet.controller.cli;

import io.macfleet.shared.ProtoJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run bin/macfleet records the CLI's class-data-sharing archive from ({@code -XX:ArchiveClassesAtExit}), once
 * per build: a throw-away controller on loopback (in a JVM of its own, so the archive holds the CLI's classes and
 * not the server's) and the commands people type most against it. The classes they load — gRPC's and Netty's,
 * TLS, protobuf, the JSON writer — are then read from the archive instead of verified out of the jar on every
 * start. Not a command: it has its own main.
 */
public final class StartupTraining {
  private static final String[][] COMMANDS = {
    {"--help"},
    {"hosts", "--help"},
    {"hosts"},
    {"hosts", "--json"},
    {"runs"},
    {"verdicts"},
    {"drift"},
    {"events"}
  };

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    MacfleetMain.configureLogging();
    Path dir = Files.createTempDirectory("macfleet-cds");
    int code;
    try {
      code = train(dir);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(code);
  }

  private static int train(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String listen = "127.0.0.1:" + port;
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server = new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            MacfleetMain.class.getName(),
            "serve",
            "--listen",
            listen,
            "--data-dir",
            dir.toString(),
            "--metrics-port",
            "-1")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      if (!listening(port, 60_000)) {
        System.err.println("the training controller did not start");
        return 1;
      }
      int code = commands(listen, dir);
      printOneHost();
      return code;
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static int commands(String listen, Path dir) {
    PrintWriter quiet = new PrintWriter(Writer.nullWriter());
    int worst = 0;
    for (String[] c : COMMANDS) {
      String[] args = c;
      if (!c[0].startsWith("-") && !(c.length > 1 && c[1].equals("--help"))) {
        args = Stream.concat(
                Stream.of(c), Stream.of("--controller", listen, "--data-dir", dir.toString()))
            .toArray(String[]::new);
      }
      StringWriter err = new StringWriter();
      int code = MacfleetMain.run(quiet, new PrintWriter(err), args);
      if (code != 0) {
        System.err.println("training: macfleet " + String.join(" ", c) + " exited " + code + ": "
            + err.toString().strip());
        worst = Math.max(worst, code);
      }
    }
    return worst;
  }

  /**
   * The training fleet is empty, so the tables and JSON of a listed host (enum words through protobuf's
   * descriptors, formatted times) are drawn once here.
   */
  private static void printOneHost() {
    io.macfleet.proto.v1.HostSummary h = io.macfleet.proto.v1.HostSummary.newBuilder()
        .setName("mac-training")
        .setStatus(io.macfleet.proto.v1.HostStatus.HOST_ONLINE)
        .setLastSeen(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_764_504_000L))
        .putLabels("role", "control")
        .build();
    PrintWriter quiet = new PrintWriter(Writer.nullWriter());
    HostsCommand.print(java.util.List.of(h), h.getLastSeen(), quiet, false);
    quiet.println(ProtoJson.array(java.util.List.of(h)));
  }

  private static boolean listening(int port, long timeoutMs) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    return false;
  }
}
