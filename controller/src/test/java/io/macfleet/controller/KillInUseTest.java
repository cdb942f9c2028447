package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ReportSender;
import io.macfleet.agent.link.ReportSpool;
import io.macfleet.agent.link.ReportTransport;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.controller.store.TestPostgres;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL of a controller process on a database that has been in use (reclaimed space in H2's file, a warm
 * PostgreSQL), 1–3 s after the first acknowledgement that follows a clean restart, many trials in a row: every
 * report any agent saw acknowledged must be stored. This is the reproduction of the H2 loss in
 * docs/h2-durability.md: H2 2.5.252 reusing space lost every report acknowledged between the clean reopen and the
 * kill, so an H2 upgrade or a change of {@link Database#h2Url} that brings it back fails here.
 */
class KillInUseTest {
  private static final int HOSTS = 3;
  private static final int TRIALS = 5;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void noAcknowledgedReportIsLostToAKillOnADatabaseInUse(String dialect) throws Exception {
    String pgUrl = dialect.equals("postgresql") ? TestPostgres.create() : null;
    Path data = tmp.resolve("ctl");
    Files.createDirectories(data);
    if (pgUrl != null) {
      Files.writeString(data.resolve("db-password"), TestPostgres.password());
    }
    int port = ControllerProcess.freePort();
    List<Agent> agents = new ArrayList<>();
    Process controller = start(data, port, pgUrl, tmp.resolve("controller-0.log"));
    SplittableRandom random = new SplittableRandom(17);
    try {
      for (int i = 0; i < HOSTS; i++) {
        AgentState state =
            new TestController.Enrolling(data, port).enroll(tmp.resolve("agent-" + i), "mac-k" + i);
        agents.add(new Agent(state, port));
      }
      agents.forEach(Agent::start);
      // in use: a few thousand commits, whose replaced pages leave free space in H2's file for
      // later chunks
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> agents.stream().allMatch(a -> a.sender.delivered() >= 600));
      controller.destroy(); // a clean stop first: the file is then reopened as one that was closed
      // properly
      controller.waitFor();

      for (int trial = 1; trial <= TRIALS; trial++) {
        // the loss needed a clean reopen: each trial stops the controller cleanly after a while,
        // starts it again,
        // and kills it 1–3 s after that start's first acknowledgement
        controller = start(data, port, pgUrl, tmp.resolve("controller-" + trial + "a.log"));
        awaitAnAck(agents);
        Thread.sleep(1000 + random.nextInt(2001));
        controller.destroy();
        controller.waitFor();
        controller = start(data, port, pgUrl, tmp.resolve("controller-" + trial + "b.log"));
        awaitAnAck(agents);
        Thread.sleep(1000 + random.nextInt(2001));
        controller.destroyForcibly().waitFor(); // SIGKILL
      }
      agents.forEach(Agent::stop);

      Map<String, Integer> missing = new LinkedHashMap<>();
      long acknowledged = 0;
      String url = pgUrl != null ? pgUrl : Database.h2Url(data);
      try (Database db = Database.open(
          url,
          pgUrl != null ? TestPostgres.user() : "",
          pgUrl != null ? TestPostgres.password() : "",
          1)) {
        ReportRepository reports = new ReportRepository(db);
        for (Agent a : agents) {
          var stored = new HashSet<>(reports.sequences(a.host));
          int lost = 0;
          for (long seq = 1; seq <= a.sender.lastAckedSeq(); seq++) {
            lost += stored.contains(seq) ? 0 : 1;
          }
          acknowledged += a.sender.lastAckedSeq();
          missing.put(a.name, lost);
        }
      }
      System.out.printf(
          "%s: %d report(s) acknowledged over %d kills, missing per host %s%n",
          dialect, acknowledged, TRIALS, missing);
      assertThat(acknowledged)
          .as("reports acknowledged over the trials")
          .isGreaterThan(HOSTS * 600L);
      assertThat(missing)
          .as("acknowledged but missing, per host, after %d kills", TRIALS)
          .allSatisfy((host, lost) -> assertThat(lost).isZero());
    } finally {
      agents.forEach(Agent::stop);
      controller.destroyForcibly().waitFor();
      if (pgUrl != null) {
        TestPostgres.drop(pgUrl);
      }
    }
  }

  private static void awaitAnAck(List<Agent> agents) {
    long before = agents.stream().mapToLong(a -> a.sender.delivered()).sum();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> agents.stream().mapToLong(a -> a.sender.delivered()).sum() > before);
  }

  /** One agent's delivery path: a spool kept topped up, and the real sender with a short backoff. */
  private static final class Agent {
    final String name;
    final String host;
    final ReportSpool spool;
    final ReportSender sender;
    final ControllerLink channel;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Agent(AgentState state, int port) throws IOException {
      this.name = state.enrollment().hostname;
      this.host = state.enrollment().hostId;
      this.spool = new ReportSpool(state.spoolDir(), 100_000);
      this.channel =
          ControllerLink.open("127.0.0.1:" + port, Files.readString(state.caFile()), false);
      var stub = new AgentCalls(channel, state.nodeKey());
      this.sender = new ReportSender(
          spool,
          ReportTransport.unary(stub),
          new Backoff(
              Duration.ofMillis(50), Duration.ofMillis(300), new SplittableRandom(name.hashCode())),
          Duration.ofSeconds(5));
    }

    void start() {
      HostSnapshot snap = TestController.snapshot(
          name,
          "0.32.15",
          "M4",
          ModelInfo.newBuilder().setName("qwen:1").setDigest("b".repeat(64)).build());
      Thread feeder = new Thread(
          () -> {
            long seq = 0;
            while (running.get()) {
              try {
                if (spool.size() < 50) {
                  spool.append(TestController.report(host, ++seq, snap));
                } else {
                  Thread.sleep(5);
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              } catch (InterruptedException e) {
                return;
              }
            }
          },
          "feeder-" + name);
      Thread send = new Thread(sender, "sender-" + name);
      threads.add(feeder);
      threads.add(send);
      threads.forEach(t -> {
        t.setDaemon(true);
        t.start();
      });
    }

    void stop() {
      running.set(false);
      sender.stop();
      for (Thread t : threads) {
        try {
          t.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      channel.close();
    }
  }

  private static Process start(Path data, int port, String pgUrl, Path log) throws Exception {
    return pgUrl == null
        ? ControllerProcess.start(data, port, log, "--metrics-port", "-1")
        : ControllerProcess.start(
            data,
            port,
            log,
            "--metrics-port",
            "-1",
            "--db",
            pgUrl.substring("jdbc:".length()),
            "--db-user",
            TestPostgres.user(),
            "--db-password-file",
            data.resolve("db-password").toString());
  }
}
