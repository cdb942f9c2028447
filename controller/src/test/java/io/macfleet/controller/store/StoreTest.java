package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.ModelInfo;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC layer against a real H2 file database, migrated by Flyway (and on PostgreSQL: PostgresStoreTest). */
class StoreTest {
  /** The database under test for a directory; the same directory opens the same database again. */
  Database open(Path dir) {
    return Database.open(Database.h2Url(dir), "", "", 2);
  }

  private static PendingReport pending(String host, long seq, String ollama, String digest) {
    return new PendingReport(
        host,
        1,
        seq,
        "interval",
        TestController.snapshot(
            "mac-" + host,
            ollama,
            "M4",
            ModelInfo.newBuilder()
                .setName("qwen:1")
                .setDigest(digest)
                .setFormat("safetensors")
                .build()),
        OffsetDateTime.now());
  }

  @Test
  void theFleetsCountsComeFromGroupedQueriesOnEveryDialect(@TempDir Path dir) {
    OffsetDateTime now = OffsetDateTime.now();
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "UUID-1", "hash1", now);
      hosts.insert("h2", "mac-b", "UUID-2", "hash2", now);
      hosts.insert("h3", "mac-c", "UUID-3", "hash3", now); // enrolled, never reported
      reports.storeBatch(List.of(
          pending("h1", 1, "0.32.15", "a".repeat(64)),
          pending("h2", 1, "0.32.15", "b".repeat(64))));
      FleetCounts counts = hosts.fleetCounts(now.minusHours(24));
      assertThat(counts.driftedTags()).as("qwen:1 is two blobs").isEqualTo(1);
      assertThat(counts.failingIdentity()).as("both hosts hold the drifted tag").isEqualTo(2);
      assertThat(counts.failingClients()).isZero();
      // Gate C: mac-a's Ollama truncated a prompt in the last report
      com.google.protobuf.Timestamp ts = com.google.protobuf.Timestamp.newBuilder()
          .setSeconds(now.toEpochSecond())
          .build();
      PendingReport truncating = pending("h1", 2, "0.32.15", "a".repeat(64));
      reports.storeBatch(List.of(new PendingReport(
          "h1",
          1,
          2,
          "interval",
          truncating.snapshot().toBuilder()
              .setClients(io.macfleet.proto.v1.Clients.newBuilder()
                  .setLog(io.macfleet.proto.v1.ServerLogActivity.newBuilder()
                      .setFirst(ts)
                      .setLast(ts)
                      .setRequests(3)
                      .setTruncatedPrompts(1)))
              .build(),
          now)));
      assertThat(hosts.fleetCounts(now.minusHours(24)).failingClients()).isEqualTo(1);
      assertThat(hosts.fleetCounts(now.plusHours(1)).failingClients())
          .as("outside the window")
          .isZero();
      assertThat(counts.byOllama()).containsEntry("up", 2L).containsEntry("unknown", 1L);
      assertThat(counts.byThermal().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(3);
      hosts.revoke("h2", now);
      assertThat(hosts.fleetCounts(now.minusHours(24)).driftedTags())
          .as("a revoked host is left out")
          .isZero();
      assertThat(hosts.fleetCounts(now.minusHours(24)).failingIdentity()).isZero();
    }
  }

  @Test
  void storesOnceNewestWinsAndSurvivesReopening(@TempDir Path dir) {
    OffsetDateTime now = OffsetDateTime.now();
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "UUID-1", "hash1", now);
      boolean[] first = stored(reports.storeBatch(List.of(
          pending("h1", 1, "0.30.0", "a".repeat(64)),
          pending("h1", 2, "0.32.15", "b".repeat(64)),
          pending("h1", 2, "0.32.15", "b".repeat(64)))));
      assertThat(first).containsExactly(true, true, false);
      // a retry of seq 1 after an unacknowledged commit is a duplicate, and the older report
      // changes nothing
      assertThat(stored(reports.storeBatch(List.of(pending("h1", 1, "0.30.0", "a".repeat(64))))))
          .containsExactly(false);
      HostRow h = hosts.findByName("mac-a", true).orElseThrow();
      assertThat(h.lastSeq()).isEqualTo(2);
      assertThat(h.ollamaVersion()).isEqualTo("0.32.15");
      assertThat(h.models()).extracting(ModelRow::digest).containsExactly("b".repeat(64));
      assertThat(h.snapshot()).isNotEmpty();
      assertThat(h.osVersion()).isEqualTo("26.3.1 (a)");
    }
    try (Database db = open(dir)) {
      assertThat(new ReportRepository(db).sequences("h1")).containsExactly(1L, 2L);
      assertThat(new HostRepository(db).findCredential("hash1"))
          .map(HostCredential::name)
          .contains("mac-a");
    }
  }

  /**
   * Two controllers storing the same report (an agent failed over while its retry was in flight): the second
   * waits on the first's row lock, its guarded update then moves nothing, and it rolls back and tries again —
   * to find a duplicate. One row, one acknowledgement as stored.
   */
  @Test
  void aReportAnotherControllerStoresMeanwhileIsADuplicateNotASecondRow(@TempDir Path dir)
      throws Exception {
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      assertThat(stored(new ReportRepository(db)
              .storeBatch(List.of(pending("h1", 1, "0.30.0", "a".repeat(64))))))
          .containsExactly(true);
      try (java.sql.Connection other = db.dataSource().getConnection()) {
        other.setAutoCommit(false);
        // "controller A" has stored seq 2 and holds the host row until it commits
        try (var ins = other.prepareStatement(
                "INSERT INTO reports (id, host_id, epoch, seq, received_at, reason, "
                    + "snapshot) VALUES (-1, 'h1', 1, 2, ?, 'interval', ?)");
            var up = other.prepareStatement(
                "UPDATE host_progress SET last_seq = 2 WHERE host_id = 'h1'")) {
          ins.setObject(1, OffsetDateTime.now());
          ins.setBytes(2, new byte[0]);
          ins.executeUpdate();
          up.executeUpdate();
        }
        var second =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> new ReportRepository(db)
                .storeBatch(List.of(pending("h1", 2, "0.30.0", "a".repeat(64)))));
        // the database itself says the second transaction is blocked behind the first one's lock
        String blocked = db.dialect().name().equals("postgresql")
            ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> {
              try (var st = other.createStatement();
                  var rs = st.executeQuery(blocked)) { // the pool has no third
                return rs.next() && rs.getInt(1) > 0;
              }
            });
        assertThat(second).as("the second controller waits on the first's lock").isNotDone();
        other.commit();
        assertThat(stored(second.get(10, java.util.concurrent.TimeUnit.SECONDS)))
            .containsExactly(false);
      }
      assertThat(new ReportRepository(db).sequences("h1")).containsExactly(1L, 2L);
    }
  }

  /**
   * The writer remembers what it committed for a host, so it reads host rows back only for hosts it does not know.
   * Another controller storing reports meanwhile leaves that memory behind: the next report's guarded update then
   * moves nothing and the batch is stored again from the rows — a duplicate is still a duplicate, a new report
   * still moves the host.
   */
  @Test
  void whatTheWriterRemembersNeverHidesAnotherControllersReports(@TempDir Path dir)
      throws Exception {
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      ReportRepository writer = new ReportRepository(db);
      assertThat(stored(writer.storeBatch(List.of(pending("h1", 1, "0.30.0", "a".repeat(64))))))
          .containsExactly(true);
      // "another controller" stores seq 2 and 3 (with a newer Ollama) through a repository of its
      // own
      assertThat(stored(new ReportRepository(db)
              .storeBatch(List.of(
                  pending("h1", 2, "0.30.0", "a".repeat(64)),
                  pending("h1", 3, "0.32.15", "a".repeat(64))))))
          .containsExactly(true, true);
      // this writer still remembers last_seq 1: seq 3 is a retry of a stored report, seq 4 is new
      assertThat(stored(writer.storeBatch(List.of(
              pending("h1", 3, "0.32.15", "a".repeat(64)),
              pending("h1", 4, "0.32.15", "a".repeat(64))))))
          .containsExactly(false, true);
      assertThat(writer.sequences("h1")).containsExactly(1L, 2L, 3L, 4L);
      HostRow h = hosts.findByName("mac-a", false).orElseThrow();
      assertThat(h.lastSeq()).isEqualTo(4);
      assertThat(h.ollamaVersion()).isEqualTo("0.32.15");
      // and from memory again: the next duplicate is refused without a second row
      assertThat(stored(writer.storeBatch(List.of(pending("h1", 4, "0.32.15", "a".repeat(64))))))
          .containsExactly(false);
      assertThat(writer.sequences("h1")).hasSize(4);
    }
  }

  /** Re-enrollment starts a new epoch at seq 1; a writer that remembers the old epoch must not call it a duplicate. */
  @Test
  void aRekeyedHostsFirstReportIsStoredThoughTheWriterRemembersTheOldEpoch(@TempDir Path dir) {
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      ReportRepository writer = new ReportRepository(db);
      writer.storeBatch(List.of(
          pending("h1", 1, "0.30.0", "a".repeat(64)), pending("h1", 2, "0.30.0", "a".repeat(64))));
      int epoch = hosts.rekey("h1", "", "hash2", OffsetDateTime.now());
      PendingReport first = new PendingReport(
          "h1",
          epoch,
          1,
          "startup",
          pending("h1", 1, "0.30.0", "a".repeat(64)).snapshot(),
          OffsetDateTime.now());
      assertThat(stored(writer.storeBatch(List.of(first)))).containsExactly(true);
      assertThat(stored(writer.storeBatch(List.of(first)))).containsExactly(false);
      HostRow h = hosts.findByName("mac-a", false).orElseThrow();
      assertThat(h.epoch()).isEqualTo(epoch);
      assertThat(h.lastSeq()).isEqualTo(1);
    }
  }

  /**
   * An interchange file's host facts fill in hosts that never enrolled; an enrolled host's own reports stay the
   * truth (the writer remembers what it last wrote and would not notice the row changed under it).
   */
  @Test
  void importingAFileNeverRewritesAnEnrolledHostsFacts(@TempDir Path dir) {
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      new ReportRepository(db).storeBatch(List.of(pending("h1", 1, "0.32.15", "a".repeat(64))));
      String chip = hosts.findByName("mac-a", false).orElseThrow().chipGeneration();
      var counts = new InterchangeRepository(db)
          .importAll(
              List.of(
                  new io.macfleet.controller.interchange.Records.Host(
                      "mac-a", "Apple M1", "M1", 8L << 30, "fleet", Map.of()),
                  new io.macfleet.controller.interchange.Records.Host(
                      "mac-new", "Apple M1", "M1", 8L << 30, "fleet", Map.of())),
              OffsetDateTime.now());
      assertThat(counts.hostsCreated()).isEqualTo(1);
      assertThat(hosts.findByName("mac-a", false).orElseThrow().chipGeneration())
          .isEqualTo(chip)
          .isNotEqualTo("M1");
      assertThat(hosts.findByName("mac-new", false).orElseThrow().chipGeneration())
          .isEqualTo("M1");
    }
  }

  @Test
  void aReportTakesEachHostsNewestCompletedRunInTheWindow(@TempDir Path dir) {
    OffsetDateTime t0 = OffsetDateTime.now().minusDays(10);
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      RunRepository runs = new RunRepository(db);
      hosts.insert("h1", "mac-a", "", "k1", t0);
      hosts.insert("h2", "mac-b", "", "k2", t0);
      hosts.insert("h3", "mac-c", "", "k3", t0);
      var level = new io.macfleet.controller.interchange.LevelSummary(
          1, 24, 0, null, null, null, null, null);
      String[][] plan = { // id, host, model, final status, days after t0
        {"old", "h1", "m:1", "done", "1"},
        {"new", "h1", "m:1", "done", "8"},
        {"failed", "h1", "m:1", "failed", "9"},
        {"other-model", "h1", "m:2", "done", "9"},
        {"b-only", "h2", "m:1", "done", "7"},
        {"stale", "h3", "m:1", "done", "2"}
      };
      for (String[] p : plan) {
        OffsetDateTime at = t0.plusDays(Long.parseLong(p[4]));
        runs.insert(p[0], p[1], p[2], "manual", RunStatus.REQUESTED, "", at, new byte[0]);
        runs.finish(
            p[0],
            p[1],
            RunStatus.of(p[3]),
            "",
            null,
            null,
            p[3].equals("done") ? List.of(level) : List.of(),
            at);
      }
      List<RunRow> got = runs.newestDonePerHost("m:1", t0.plusDays(5));
      // mac-a's newest done run (not the failed one after it), mac-b's only run; mac-c's run is
      // outside the window
      assertThat(got).extracting(RunRow::id).containsExactly("new", "b-only");
      assertThat(got.get(0).levels()).hasSize(1);
    }
  }

  @Test
  void labelsUpsertAndRemoveAndRekeyResetsSequence(@TempDir Path dir) {
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      hosts.setLabels("h1", Map.of("role", "candidate", "rack", "r1"), List.of());
      hosts.setLabels("h1", Map.of("role", "control"), List.of("rack"));
      assertThat(hosts.findByName("mac-a", false).orElseThrow().labels())
          .containsExactly(Map.entry("role", "control"));
      reports.storeBatch(List.of(pending("h1", 5, "0.32.15", "a".repeat(64))));
      int epoch = hosts.rekey("h1", "UUID", "hash2", OffsetDateTime.now());
      assertThat(epoch).isEqualTo(2);
      assertThat(hosts.findCredential("hash1")).isEmpty();
      HostRow h = hosts.findByName("mac-a", false).orElseThrow();
      assertThat(h.lastSeq()).isZero();
      assertThat(hosts.revoke("h1", OffsetDateTime.now())).isTrue();
      assertThat(hosts.revoke("h1", OffsetDateTime.now())).isFalse();
      assertThat(hosts.findCredential("hash2")).map(HostCredential::revoked).contains(true);
    }
  }

  /** The narrow read behind hosts-by-status metrics says what the full host rows say. */
  @Test
  void livenessAgreesWithTheFullHostRows(@TempDir Path dir) {
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      hosts.insert("h2", "mac-b", "", "hash2", OffsetDateTime.now());
      hosts.insert("h3", "mac-c", "", "hash3", OffsetDateTime.now());
      reports.storeBatch(List.of(
          pending("h1", 1, "0.32.15", "a".repeat(64)),
          pending("h3", 1, "0.32.15", "a".repeat(64))));
      hosts.revoke("h3", OffsetDateTime.now());
      List<HostLiveness> live = hosts.liveness();
      assertThat(live)
          .containsExactlyInAnyOrderElementsOf(hosts.listAll().stream()
              .map(h ->
                  new HostLiveness(h.lastSeen(), h.reportIntervalSeconds(), h.revokedAt() != null))
              .toList());
      assertThat(live).filteredOn(h -> h.lastSeen() != null).hasSize(2);
      assertThat(live)
          .filteredOn(HostLiveness::revoked)
          .singleElement()
          .satisfies(h -> assertThat(h.lastSeen()).isNotNull());
      assertThat(live)
          .filteredOn(h -> h.lastSeen() != null && !h.revoked())
          .singleElement()
          .satisfies(h -> assertThat(h.reportIntervalSeconds()).isPositive());
    }
  }

  @Test
  void retentionDeletesOldRowsInSmallBatchesAndKeepsWhatHostsAndVerdictsNeed(@TempDir Path dir)
      throws Exception {
    OffsetDateTime now = OffsetDateTime.now();
    OffsetDateTime old = now.minusDays(40);
    try (Database db = open(dir)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "UUID-1", "hash1", now);
      hosts.insert("h2", "mac-b", "UUID-2", "hash2", now);
      java.util.List<PendingReport> batch = new java.util.ArrayList<>();
      for (int seq = 1; seq <= 125; seq++) {
        batch.add(new PendingReport(
            "h1",
            1,
            seq,
            "interval",
            pending("h1", seq, "0.32.15", "a".repeat(64)).snapshot(),
            seq <= 120 ? old : now));
      }
      for (int seq = 1; seq <= 30; seq++) {
        batch.add(new PendingReport(
            "h2",
            1,
            seq,
            "interval",
            pending("h2", seq, "0.32.15", "a".repeat(64)).snapshot(),
            old)); // a host silent for 40 days: its newest report stays
      }
      reports.storeBatch(batch);
      try (var c = db.dataSource().getConnection()) {
        try (var ev = c.prepareStatement(
                "INSERT INTO events (host_id, at, kind, report_seq) VALUES (?, ?, 'x', 1)");
            var au = c.prepareStatement(
                "INSERT INTO audit (at, actor, action, detail, exit_code, output_sha256) "
                    + "VALUES (?, 'test', 'hosts', '', 0, '')")) {
          for (int i = 0; i < 13; i++) {
            OffsetDateTime at = i < 10 ? now.minusDays(200) : now;
            ev.setString(1, "h1");
            ev.setObject(2, at);
            ev.executeUpdate();
            au.setObject(1, i < 10 ? now.minusDays(500) : now);
            au.executeUpdate();
          }
        }
        try (var run = c.prepareStatement(
                "INSERT INTO runs (id, host_id, model, purpose, status, requested_at, "
                    + "finished_at, spec, baseline) VALUES (?, 'h1', 'qwen3:8b', 'manual', 'done', ?, ?, ?, ?)");
            var sample = c.prepareStatement(
                "INSERT INTO samples (run_id, n, concurrency, cold) VALUES (?, ?, 1, FALSE)")) {
          Object[][] runs = {
            {"r-old", now.minusDays(200), false},
            {"r-base", now.minusDays(200), true},
            {"r-new", now.minusDays(1), false}
          };
          for (Object[] r : runs) {
            run.setString(1, (String) r[0]);
            run.setObject(2, r[1]);
            run.setObject(3, r[1]);
            run.setBytes(4, new byte[] {0});
            run.setBoolean(5, (Boolean) r[2]);
            run.executeUpdate();
            for (int n = 0; n < 5; n++) {
              sample.setString(1, (String) r[0]);
              sample.setInt(2, n);
              sample.executeUpdate();
            }
          }
        }
      }
      Retention retention = new Retention(
          db,
          Retention.Policy.defaults(),
          java.time.Clock.systemUTC(),
          25,
          java.time.Duration.ZERO);
      Retention.Purged purged = retention.purge();

      assertThat(purged).isEqualTo(new Retention.Purged(120 + 29, 1, 10, 10));
      assertThat(reports.sequences("h1")).containsExactly(121L, 122L, 123L, 124L, 125L);
      assertThat(reports.sequences("h2")).containsExactly(30L);
      assertThat(hosts.findByName("mac-b", true).orElseThrow().lastSeq()).isEqualTo(30);
      try (var c = db.dataSource().getConnection();
          var st = c.createStatement();
          var rs = st.executeQuery(
              "SELECT run_id, COUNT(*) FROM samples GROUP BY run_id ORDER BY run_id")) {
        java.util.Map<String, Integer> left = new java.util.TreeMap<>();
        while (rs.next()) {
          left.put(rs.getString(1), rs.getInt(2));
        }
        assertThat(left)
            .containsExactly(java.util.Map.entry("r-base", 5), java.util.Map.entry("r-new", 5));
      }
      assertThat(retention.purge().total()).as("a second pass finds nothing").isZero();
      // the host's history goes on after the purge
      assertThat(stored(
              reports.storeBatch(java.util.List.of(pending("h1", 126, "0.32.15", "a".repeat(64))))))
          .containsExactly(true);
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
