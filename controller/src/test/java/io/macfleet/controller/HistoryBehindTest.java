package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.macfleet.agent.AgentDaemon;
import io.macfleet.agent.SnapshotCollector;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.ollama.OllamaInventoryCollector;
import io.macfleet.controller.store.Database;
import io.macfleet.simulator.OllamaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller whose database was restored from an older copy: the agent's hello says which reports it saw
 * acknowledged, and the controller flags the host whose stored history is behind (event, metric, `hosts`) instead of
 * carrying on as if nothing was lost.
 */
class HistoryBehindTest {
  @TempDir
  Path tmp;

  @Test
  void aHostWhoseStoredHistoryIsBehindItsAgentsIsFlagged() throws Exception {
    Path profile = tmp.resolve("ollama.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"llama3.2:latest\",\"digest\":\""
            + "a".repeat(64) + "\",\"format\":\"gguf\"}]}");
    TestController c = new TestController(tmp.resolve("ctl"));
    int port = c.port();
    AgentState state = c.enroll(tmp.resolve("agent"), "mac-h", "UUID-HIST");
    Path backup = tmp.resolve("backup.mv.db");
    try (OllamaSimulator sim = OllamaSimulator.start(profile, 0);
        AgentDaemon agent = new AgentDaemon(
            state,
            new SnapshotCollector(
                HostCollectors.linux(Path.of("/"), Optional.empty()),
                new OllamaInventoryCollector(new OllamaClient(sim.url())),
                "mac-h",
                Duration.ofMinutes(1),
                Clock.systemUTC()),
            new AgentDaemon.Settings(Duration.ofMillis(300), Duration.ofMillis(100), 1000))) {
      agent.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.sender().delivered() >= 3);
      c.stop();
      long atBackup;
      try (Database db = Database.open(Database.h2Url(c.dataDir), "", "", 1)) {
        atBackup = new io.macfleet.controller.store.ReportRepository(db)
            .sequences(state.enrollment().hostId)
            .size();
      }
      Files.copy(Database.h2File(c.dataDir), backup); // the nightly backup
      c.start(port);
      long before = agent.sender().delivered();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.sender().delivered() >= before + 5);
      c.stop();
      Files.copy(
          backup, Database.h2File(c.dataDir), StandardCopyOption.REPLACE_EXISTING); // restored
      long acked = agent.spool().lastAcked();
      c.start(port);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> c.cli("hosts").out().contains("acknowledged report(s) missing"));
      String hosts = c.cli("hosts").out();
      long gap = acked - atBackup;
      assertThat(gap).isGreaterThanOrEqualTo(5);
      assertThat(hosts).contains(gap + " acknowledged report(s) missing");
      assertThat(c.cli("events", "mac-h").out()).contains("history_behind");
      assertThat(c.cli("hosts", "--json").out()).contains("\"history_gap\"");
      // the agent goes on reporting; the controller stores what comes next
      long now = agent.sender().delivered();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.sender().delivered() > now);
    } finally {
      c.close();
    }
  }
}
