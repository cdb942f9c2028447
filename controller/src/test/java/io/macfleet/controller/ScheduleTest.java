package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules on Quartz's JDBC store: they fire, survive a controller restart, pause, resume and go. */
class ScheduleTest {
  @TempDir
  Path tmp;

  static int scheduledRuns(TestController c) throws Exception {
    JsonNode runs =
        new ObjectMapper().readTree(c.cli("runs", "--json", "--limit", "1000").out());
    int n = 0;
    for (JsonNode r : runs) {
      if (r.path("purpose").asText().equals("scheduled")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void schedulesFireAndSurviveARestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TestController c = new TestController(tmp.resolve("ctl"));
    try {
      c.stop();
      c.start(port);
      c.enroll(
          tmp.resolve("a"),
          "mac-sched",
          "U"); // enrolled, never running: every firing records a missed run
      var add = c.cli(
          "schedule",
          "add",
          "every-2s",
          "--cron",
          "*/2 * * * * ?",
          "--hosts",
          "all",
          "--model",
          "qwen3.6:35b-a3b-nvfp4",
          "--samples",
          "4",
          "--allow-small");
      assertThat(add.code()).as(add.err()).isZero();
      assertThat(add.out())
          .contains("every-2s", "*/2 * * * * ?", "all")
          .containsPattern("normal|running");
      await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(c) >= 2);
      var runs = c.cli("runs", "--host", "mac-sched").out();
      assertThat(runs).contains("missed", "never reported");

      c.stop();
      int before = scheduledRuns(c.restarted(port));
      assertThat(c.cli("schedule", "list").out())
          .contains("every-2s")
          .containsPattern("normal|running");
      await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(c) > before);

      assertThat(c.cli("schedule", "pause", "every-2s").out()).contains("paused every-2s (paused)");
      // a firing already under way when the pause came may still land: wait until the count is
      // steady, then it
      // must stay so for two periods of the schedule and more
      int[] paused = {scheduledRuns(c)};
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> {
            int now = scheduledRuns(c);
            boolean steady = now == paused[0];
            paused[0] = now;
            return steady;
          });
      await()
          .during(Duration.ofMillis(4500))
          .atMost(Duration.ofSeconds(6))
          .until(() -> scheduledRuns(c) == paused[0]);
      assertThat(c.cli("schedule", "resume", "every-2s").out())
          .containsPattern("resumed every-2s \\((normal|running)\\)");
      await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(c) > paused[0]);

      JsonNode show = new ObjectMapper()
          .readTree(c.cli("schedule", "show", "every-2s", "--json").out());
      assertThat(show.path("spec").path("samples").asInt()).isEqualTo(4);
      assertThat(show.path("previous_fire").isMissingNode()).isFalse();
      assertThat(c.cli("schedule", "rm", "every-2s").out()).contains("removed every-2s");
      assertThat(c.cli("schedule", "list").out()).contains("no schedules");
    } finally {
      c.close();
    }
  }

  @Test
  void aFiringMissedWhileTheControllerWasDownRunsOnceAfterRestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TestController c = new TestController(tmp.resolve("ctl"));
    try {
      c.stop();
      c.start(port);
      c.enroll(tmp.resolve("a"), "mac-down", "U");
      // a one-shot cron (the year is part of it) due 4 s from now, while the controller will be
      // down
      java.time.ZonedDateTime due = java.time.ZonedDateTime.now().plusSeconds(4).withNano(0);
      String cron = String.format(
          "%d %d %d %d %d ? %d",
          due.getSecond(),
          due.getMinute(),
          due.getHour(),
          due.getDayOfMonth(),
          due.getMonthValue(),
          due.getYear());
      assertThat(
              c.cli("schedule", "add", "once", "--cron", cron, "--hosts", "all", "--model", "m:1")
                  .code())
          .isZero();
      c.stop();
      while (java.time.ZonedDateTime.now().isBefore(due.plusSeconds(2))) {
        Thread.sleep(200);
      }
      java.time.Instant restartedAt = java.time.Instant.now();
      c.restarted(port);
      await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(c) == 1);
      // once, not once per missed firing or per restart: it stays at one
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> scheduledRuns(c) == 1);
      JsonNode run = new ObjectMapper().readTree(c.cli("runs", "--json").out()).get(0);
      assertThat(java.time.Instant.parse(run.path("requested_at").asText())).isAfter(restartedAt);
      // a cron that can never fire again is finished: gone from the list, not an error in it
      assertThat(c.cli("schedule", "list").out()).contains("no schedules");
      assertThat(c.cli("schedule", "show", "once").code()).isEqualTo(5);
    } finally {
      c.close();
    }
  }

  @Test
  void badSchedulesAreRefusedClearly() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      var cron =
          c.cli("schedule", "add", "x", "--cron", "every minute", "--hosts", "all", "--model", "m");
      assertThat(cron.code()).isEqualTo(2);
      assertThat(cron.err()).contains("not a Quartz cron expression");
      var name = c.cli(
          "schedule",
          "add",
          "bad name;rm",
          "--cron",
          "0 * * * * ?",
          "--hosts",
          "all",
          "--model",
          "m");
      assertThat(name.code()).isEqualTo(2);
      assertThat(c.cli(
                  "schedule",
                  "add",
                  "ok",
                  "--cron",
                  "0 * * * * ?",
                  "--hosts",
                  "all",
                  "--model",
                  "m")
              .code())
          .isZero();
      assertThat(c.cli(
                  "schedule",
                  "add",
                  "ok",
                  "--cron",
                  "0 * * * * ?",
                  "--hosts",
                  "all",
                  "--model",
                  "m")
              .err())
          .contains("exists");
      assertThat(c.cli("schedule", "pause", "nope").code()).isEqualTo(5);
    }
  }
}
