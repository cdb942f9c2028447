package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails part way (after the database, the writer, the scheduler and the gRPC server are up) closes
 * everything it opened: no thread of it is left, and a second try in the same process works. A port in use is
 * found before anything is created.
 */
class StartFailureTest {
  @TempDir
  Path tmp;

  @Test
  void aFailedStartLeavesNothingRunning() throws Exception {
    try (TestController running = new TestController(tmp.resolve("a"))) {
      Map<String, Integer> before = threadsByName();
      // the admin SSH endpoint cannot make its directory (a file is in the way): it fails last,
      // after the
      // database, the writer, the scheduler and the gRPC server are up
      Path dir = tmp.resolve("b");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve("ssh"), "not a directory");
      ControllerConfig late = ControllerConfig.defaults(dir)
          .withListen("127.0.0.1", 0)
          .withOpsPort(0)
          .withSshPort(0, io.macfleet.controller.cli.MacfleetMain::overSsh);
      assertThatThrownBy(() -> ControllerServer.start(late))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("could not start the admin SSH endpoint");
      // the pool's housekeeper, the writer, the sweeper, the scheduler's threads, the retention
      // timer…: all gone
      // (the running controller's own short-lived threads may come and go meanwhile: none may be
      // more than before)
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> threadsByName()
              .forEach((name, n) -> assertThat(n)
                  .as(name + " threads left by the failed start")
                  .isLessThanOrEqualTo(before.getOrDefault(name, 0))));
      java.nio.file.Files.delete(dir.resolve("ssh"));
      try (ControllerServer again = ControllerServer.start(late)) {
        assertThat(again.port()).isNotEqualTo(running.port());
      }
    }
  }

  /** Live threads by name, numbers stripped (pool-3-thread-1 and pool-4-thread-1 are the same kind). */
  private static Map<String, Integer> threadsByName() {
    Map<String, Integer> out = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()
          && !t.getName().startsWith("ForkJoinPool")
          && !t.getName().startsWith("awaitility")) {
        out.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
      }
    }
    return out;
  }

  @Test
  void aPortInUseIsNamedBeforeAnythingIsCreated() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path dir = tmp.resolve("never-made");
      assertThatThrownBy(() -> ControllerServer.start(
              ControllerConfig.defaults(dir).withListen("127.0.0.1", taken.getLocalPort())))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
          .hasMessageContaining("--listen");
      assertThat(dir).as("no data directory, no secrets").doesNotExist();
    }
  }
}
