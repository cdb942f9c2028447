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

/** The JDBC layer against a real H2 file database, migrated by Flyway. */
class StoreTest {
  private static PendingReport pending(String host, long seq, String ollama, String digest) {
    return new PendingReport(host, 1, seq, "interval", TestController.snapshot("mac-" + host, ollama, "M4",
        ModelInfo.newBuilder().setName("qwen:1").setDigest(digest).setFormat("safetensors").build()),
        OffsetDateTime.now());
  }

  @Test
  void storesOnceNewestWinsAndSurvivesReopening(@TempDir Path dir) {
    OffsetDateTime now = OffsetDateTime.now();
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "UUID-1", "hash1", now);
      boolean[] first = reports.storeBatch(List.of(pending("h1", 1, "0.30.0", "a".repeat(64)),
          pending("h1", 2, "0.32.15", "b".repeat(64)), pending("h1", 2, "0.32.15", "b".repeat(64))));
      assertThat(first).containsExactly(true, true, false);
      // a retry of seq 1 after an unacknowledged commit is a duplicate, and the older report changes nothing
      assertThat(reports.storeBatch(List.of(pending("h1", 1, "0.30.0", "a".repeat(64))))).containsExactly(false);
      HostRow h = hosts.findByName("mac-a", true).orElseThrow();
      assertThat(h.lastSeq()).isEqualTo(2);
      assertThat(h.ollamaVersion()).isEqualTo("0.32.15");
      assertThat(h.models()).extracting(ModelRow::digest).containsExactly("b".repeat(64));
      assertThat(h.snapshot()).isNotEmpty();
      assertThat(h.osVersion()).isEqualTo("26.3.1 (a)");
    }
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      assertThat(new ReportRepository(db).sequences("h1")).containsExactly(1L, 2L);
      assertThat(new HostRepository(db).findCredential("hash1")).map(HostCredential::name).contains("mac-a");
    }
  }

  @Test
  void labelsUpsertAndRemoveAndRekeyResetsSequence(@TempDir Path dir) {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      HostRepository hosts = new HostRepository(db);
      ReportRepository reports = new ReportRepository(db);
      hosts.insert("h1", "mac-a", "", "hash1", OffsetDateTime.now());
      hosts.setLabels("h1", Map.of("role", "candidate", "rack", "r1"), List.of());
      hosts.setLabels("h1", Map.of("role", "control"), List.of("rack"));
      assertThat(hosts.findByName("mac-a", false).orElseThrow().labels()).containsExactly(Map.entry("role", "control"));
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
}
