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
 * A start that fails part way (its port is taken, after the database, the writer, the scheduler and the rest are
 * up) closes everything it opened: no thread of it is left, and a second try in the same process works.
 */
class StartFailureTest {
  @TempDir
  Path tmp;

  @Test
  void aFailedStartLeavesNothingRunning() throws Exception {
    try (TestController running = new TestController(tmp.resolve("a"))) {
      Map<String, Integer> before = threadsByName();
      ControllerConfig taken = ControllerConfig.defaults(tmp.resolve("b"))
          .withListen("127.0.0.1", running.port())
          .withOpsPort(0);
      assertThatThrownBy(() -> ControllerServer.start(taken))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("could not listen on 127.0.0.1:" + running.port());
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
      try (ControllerServer again = ControllerServer.start(taken.withListen("127.0.0.1", 0))) {
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
}
