package io.macfleet.controller;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * `macfleet serve` in a process of its own — so that a test can SIGKILL it, or fill its disk — on a loopback port,
 * with its output in a log file. Returned once the port accepts connections.
 */
final class ControllerProcess {
  private ControllerProcess() {}

  static Process start(Path data, int port, Path log, String... serveOptions) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(
        java,
        "-cp",
        System.getProperty("java.class.path"),
        "io.macfleet.controller.cli.MacfleetMain",
        "serve",
        "--listen",
        "127.0.0.1:" + port,
        "--data-dir",
        data.toString()));
    cmd.addAll(List.of(serveOptions));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("controller exited: " + Files.readString(log));
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
    return p;
  }

  /** A loopback port free now (the controller is started on it right after). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
