package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet database from before V15 (progress on the hosts row) upgraded in place: every host keeps its epoch,
 * last_seq, last_seen and newest snapshot, and the writer goes on from there (a retry is still a duplicate).
 */
class ProgressUpgradeTest {
  @Test
  void anH2FleetKeepsItsProgressAcrossTheUpgrade(@TempDir Path dir) throws Exception {
    upgradeKeepsProgress(Database.h2Url(dir), "", "");
  }

  @Test
  void aPostgresFleetKeepsItsProgressAcrossTheUpgrade() throws Exception {
    String url = TestPostgres.create();
    try {
      upgradeKeepsProgress(url, TestPostgres.user(), TestPostgres.password());
    } finally {
      TestPostgres.drop(url);
    }
  }

  private static void upgradeKeepsProgress(String url, String user, String password)
      throws Exception {
    OffsetDateTime seen = OffsetDateTime.of(2026, 11, 30, 12, 0, 0, 0, ZoneOffset.UTC);
    byte[] snapshot = TestController.snapshot("mac-old", "0.32.15", "M4").toByteArray();
    Flyway.configure()
        .dataSource(url, user, password)
        .locations(Dialect.forJdbcUrl(url).migrations())
        .target("14")
        .load()
        .migrate();
    try (Connection c = java.sql.DriverManager.getConnection(url, user, password)) {
      try (PreparedStatement h =
              c.prepareStatement("INSERT INTO hosts (id, name, node_key_hash, epoch, enrolled_at, "
                  + "last_seen, last_seq, ollama_version, last_report_id) VALUES ('h1', 'mac-old', 'k1', 2, ?, ?, 7, "
                  + "'0.32.15', 41)");
          PreparedStatement r = c.prepareStatement(
              "INSERT INTO reports (id, host_id, epoch, seq, received_at, reason, "
                  + "snapshot) VALUES (41, 'h1', 2, 7, ?, 'interval', ?)")) {
        h.setObject(1, seen.minusDays(3));
        h.setObject(2, seen);
        h.executeUpdate();
        r.setObject(1, seen);
        r.setBytes(2, snapshot);
        r.executeUpdate();
      }
    }
    try (Database db = Database.open(url, user, password, 2)) {
      HostRow h = new HostRepository(db).findByName("mac-old", true).orElseThrow();
      assertThat(h.epoch()).isEqualTo(2);
      assertThat(h.lastSeq()).isEqualTo(7);
      assertThat(h.lastSeen().toInstant()).isEqualTo(seen.toInstant());
      assertThat(h.snapshot()).isEqualTo(snapshot);
      ReportRepository reports = new ReportRepository(db);
      PendingReport retry = new PendingReport(
          "h1",
          2,
          7,
          "interval",
          TestController.snapshot("mac-old", "0.32.15", "M4"),
          OffsetDateTime.now());
      PendingReport next =
          new PendingReport("h1", 2, 8, "interval", retry.snapshot(), OffsetDateTime.now());
      assertThat(stored(reports.storeBatch(List.of(retry, next)))).containsExactly(false, true);
      assertThat(
              new HostRepository(db).findByName("mac-old", false).orElseThrow().lastSeq())
          .isEqualTo(8);
    }
  }

  /** Which reports were stored (the rest were duplicates). */
  static boolean[] stored(ReportOutcome[] outcomes) {
    boolean[] out = new boolean[outcomes.length];
    for (int i = 0; i < outcomes.length; i++) {
      out[i] = outcomes[i].stored();
    }
    return out;
  }
}
