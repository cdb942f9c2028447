package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.ReportRequest;
import org.junit.jupiter.api.Test;

class ReportValidatorTest {
  private static final String D = "a".repeat(64);

  private static ReportRequest ok() {
    return TestController.report(
        "h1",
        1,
        TestController.snapshot(
            "mac",
            "0.32.15",
            "M4",
            ModelInfo.newBuilder().setName("m:1").setDigest(D).build()));
  }

  @Test
  void acceptsAWellFormedReport() {
    assertThatCode(() -> ReportValidator.validate(ok(), "h1")).doesNotThrowAnyException();
  }

  @Test
  void aHostCanOnlyReportAsItself() {
    assertThatThrownBy(() -> ReportValidator.validate(ok(), "h2"))
        .isInstanceOf(FleetException.class)
        .hasMessageContaining("only report as itself")
        .extracting(e -> ((FleetException) e).kind())
        .isEqualTo(FleetException.Kind.DENIED);
  }

  /** What used to pass validation and then fail the whole group commit, refused up front, naming the field. */
  @Test
  void everyStoredFieldIsBoundedAndEveryTimeIsOneAClockCouldProduce() {
    var snap = ok().getSnapshot();
    ReportRequest longExtra = ok().toBuilder()
        .setSnapshot(snap.toBuilder()
            .setIdentity(snap.getIdentity().toBuilder().setOsExtra("x".repeat(200))))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(longExtra, "h1"))
        .hasMessageContaining("identity.os_extra")
        .extracting(e -> ((FleetException) e).kind())
        .isEqualTo(FleetException.Kind.INVALID);
    ReportRequest farFuture = ok().toBuilder()
        .setSnapshot(snap.toBuilder()
            .setCollectedAt(
                com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE - 10)))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(farFuture, "h1"))
        .hasMessageContaining("snapshot.collected_at is not a time a clock could produce");
    ReportRequest hugeSleep = ok().toBuilder()
        .setSnapshot(snap.toBuilder()
            .setTelemetry(snap.getTelemetry().toBuilder()
                .setSleep(snap.getTelemetry().getSleep().toBuilder()
                    .setLastSleep(
                        com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)))))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(hugeSleep, "h1"))
        .hasMessageContaining("telemetry.sleep.last_sleep");
    ReportRequest before2000 = ok().toBuilder()
        .setSentAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(5))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(before2000, "h1"))
        .hasMessageContaining("sent_at");
    // three days ahead is plausible: stored, and flagged by HostFlags
    ReportRequest ahead = ok().toBuilder()
        .setSentAt(com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(
                java.time.Instant.now().plus(java.time.Duration.ofDays(3)).getEpochSecond()))
        .build();
    assertThatCode(() -> ReportValidator.validate(ahead, "h1")).doesNotThrowAnyException();
  }

  @Test
  void controlCharactersInNamesAndVersionsAreRefused() {
    var snap = ok().getSnapshot();
    ReportRequest hostileModel = ok().toBuilder()
        .setSnapshot(snap.toBuilder()
            .setOllama(snap.getOllama().toBuilder()
                .setModels(
                    0,
                    ModelInfo.newBuilder().setName("qwen3:8b\u001b[2K\u001b[1A").setDigest(D))))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(hostileModel, "h1"))
        .hasMessageContaining("models[0].name contains a control character (code 27)");
    ReportRequest hostileVersion = ok().toBuilder()
        .setSnapshot(snap.toBuilder()
            .setOllama(snap.getOllama().toBuilder().setVersion("0.32.15\r\nINFO forged")))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(hostileVersion, "h1"))
        .hasMessageContaining("ollama.version");
  }

  @Test
  void namesTheFirstProblem() {
    assertThatThrownBy(() -> ReportValidator.validate(ok().toBuilder().setSeq(0).build(), "h1"))
        .hasMessageContaining("seq");
    assertThatThrownBy(
            () -> ReportValidator.validate(ok().toBuilder().clearSnapshot().build(), "h1"))
        .hasMessageContaining("no snapshot");
    ReportRequest badDigest = ok().toBuilder()
        .setSnapshot(ok().getSnapshot().toBuilder()
            .setOllama(ok().getSnapshot().getOllama().toBuilder()
                .setModels(0, ModelInfo.newBuilder().setName("m:1").setDigest("sha256:XYZ"))))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(badDigest, "h1"))
        .hasMessageContaining("models[0] (m:1) digest");
  }

  @Test
  void aDigestIsSixtyFourLowercaseHexDigits() {
    String hex = "0123456789abcdef".repeat(4);
    assertThat(ReportValidator.isDigest(hex)).isTrue();
    assertThat(ReportValidator.isDigest(hex.substring(1))).isFalse();
    assertThat(ReportValidator.isDigest(hex + "0")).isFalse();
    assertThat(ReportValidator.isDigest(hex.toUpperCase())).isFalse();
    assertThat(ReportValidator.isDigest("g" + hex.substring(1))).isFalse();
    assertThat(ReportValidator.isDigest("sha256:" + hex.substring(7))).isFalse();
    assertThat(ReportValidator.isDigest("")).isFalse();
  }

  @Test
  void gateCsPartIsBoundedAndPrintable() {
    ReportRequest base = ok();
    java.util.function.Function<io.macfleet.proto.v1.Clients, ReportRequest> with =
        c -> base.toBuilder()
            .setSnapshot(base.getSnapshot().toBuilder().setClients(c))
            .build();
    io.macfleet.proto.v1.Clients.Builder many = io.macfleet.proto.v1.Clients.newBuilder();
    for (int i = 0; i < ReportValidator.MAX_CLIENTS + 1; i++) {
      many.addClients(io.macfleet.proto.v1.Client.newBuilder().setName("p" + i));
    }
    assertThatThrownBy(() -> ReportValidator.validate(with.apply(many.build()), "h1"))
        .hasMessageContaining("at most " + ReportValidator.MAX_CLIENTS);
    var forged = io.macfleet.proto.v1.Clients.newBuilder()
        .addClients(io.macfleet.proto.v1.Client.newBuilder().setName("curl\u001b[2J\nok"))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(with.apply(forged), "h1"))
        .hasMessageContaining("clients[0].name contains a control character");
    var longPath = io.macfleet.proto.v1.Clients.newBuilder()
        .setLog(io.macfleet.proto.v1.ServerLogActivity.newBuilder()
            .addPaths(io.macfleet.proto.v1.PathRequests.newBuilder()
                .setMethod("POST")
                .setPath("/" + "a".repeat(300))))
        .build();
    assertThatThrownBy(() -> ReportValidator.validate(with.apply(longPath), "h1"))
        .hasMessageContaining("clients.log.paths[0].path is 301 characters long");
    var fine = io.macfleet.proto.v1.Clients.newBuilder()
        .addClients(io.macfleet.proto.v1.Client.newBuilder().setName("Cursor").setConnections(2))
        .build();
    assertThatCode(() -> ReportValidator.validate(with.apply(fine), "h1"))
        .doesNotThrowAnyException();
  }
}
