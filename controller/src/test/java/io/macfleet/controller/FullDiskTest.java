package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.macfleet.agent.link.AgentState;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's file system fills up under a running controller (a small tmpfs, mounted for the test, which
 * needs root: CI runs as root, elsewhere the test is skipped): it stops acknowledging, /readyz turns 503 with the
 * cause, the cause is logged once rather than per write, H2 writes no trace file, and when space returns the
 * controller stores reports again by itself. Nothing acknowledged is lost.
 */
class FullDiskTest {
  @TempDir
  Path tmp;

  @Test
  void aFullDiskIsAnOutageThatEndsWhenSpaceReturns() throws Exception {
    Path disk = tmp.resolve("disk");
    Files.createDirectories(disk);
    mountSmallDisk(disk);
    Process controller = null;
    io.grpc.ManagedChannel channel = null;
    try {
      Path data = disk.resolve("ctl");
      int port = ControllerProcess.freePort();
      int ops = ControllerProcess.freePort();
      Path log = tmp.resolve("controller.log");
      controller =
          ControllerProcess.start(data, port, log, "--metrics-port", Integer.toString(ops));
      AgentState state =
          new TestController.Enrolling(data, port).enroll(tmp.resolve("agent"), "mac-disk");
      String host = state.enrollment().hostId;
      channel = AgentChannels.open("127.0.0.1:" + port, Files.readString(state.caFile()));
      var stub = AgentServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(AgentChannels.nodeKey(state.nodeKey()));
      HostSnapshot snap = TestController.snapshot(
          "mac-disk",
          "0.32.15",
          "M4",
          ModelInfo.newBuilder().setName("qwen:1").setDigest("c".repeat(64)).build());
      List<Long> acked = new ArrayList<>();
      long seq = 1;
      for (; seq <= 20; seq++) {
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).report(TestController.report(host, seq, snap));
        acked.add(seq);
      }
      assertThat(get(ops, "/readyz").statusCode()).isEqualTo(200);

      Path filler = disk.resolve("filler");
      fill(filler);
      long failedFrom = seq;
      int refused = 0;
      long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime()
          < until) { // an agent retrying the same report, as the real sender does
        try {
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .report(TestController.report(host, seq, snap));
          acked.add(seq++); // H2 still had room in its last chunk
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          refused++;
        }
        Thread.sleep(20);
      }
      assertThat(refused).as("reports refused while the disk is full").isGreaterThan(50);
      HttpResponse<String> notReady = get(ops, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("storage failing since");
      assertThat(data.resolve("macfleet.trace.db")).doesNotExist();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines.stream().filter(l -> l.contains("storage failed")).count())
          .as("the cause, logged once a minute")
          .isEqualTo(1);
      assertThat(lines.stream()
              .filter(l -> l.contains("storage failed"))
              .findFirst()
              .orElseThrow())
          .contains(Database.h2File(data).toString());
      assertThat(lines.stream().filter(l -> l.contains("ERROR")).count())
          .as("error lines in the log during the outage: %s", lines)
          .isLessThanOrEqualTo(3);

      Files.delete(filler);
      long resumedSeq = seq;
      var resumed = stub;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> {
            try {
              resumed
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .report(TestController.report(host, resumedSeq, snap));
              return true;
            } catch (StatusRuntimeException e) {
              return false;
            }
          });
      acked.add(seq);
      await().atMost(Duration.ofSeconds(10)).until(() -> get(ops, "/readyz").statusCode() == 200);
      assertThat(Files.readString(log)).contains("storage recovered after");
      Files.readAllLines(log).stream()
          .filter(l -> l.contains("storage ") || l.contains("WARN") || l.contains("ERROR"))
          .forEach(l -> System.out.println(
              "controller: " + l)); // what an operator reads, in the test's output
      assertThat(failedFrom).isGreaterThan(20);

      channel.shutdownNow();
      controller.destroy(); // a clean stop
      assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (Database db = Database.open(Database.h2Url(data), "", "", 1)) {
        var stored = new HashSet<>(new ReportRepository(db).sequences(host));
        assertThat(stored).as("every acknowledged report").containsAll(acked);
      }
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
      if (controller != null) {
        controller.destroyForcibly().waitFor();
      }
      new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
    }
  }

  private static void mountSmallDisk(Path dir) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root && System.getenv("CI") != null) {
      throw new AssertionError("CI runs as root so that this test can mount a small tmpfs");
    }
    Assumptions.assumeTrue(root, "mounting a tmpfs needs root: full-disk test skipped");
    Process p = new ProcessBuilder(
            "mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", dir.toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      if (System.getenv("CI") != null) {
        throw new AssertionError("could not mount a tmpfs: " + out);
      }
      Assumptions.abort("could not mount a tmpfs here: " + out);
    }
  }

  /** Writes until the file system says it is full. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
