package io.macfleet.controller.grpc;

import static io.macfleet.controller.TestController.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ReportSender;
import io.macfleet.agent.link.ReportSpool;
import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized, malformed and forward-compatible messages: a clear error, and nothing lost. */
class BadInputTest {
  @TempDir
  Path tmp;

  @Test
  void oversizedAndMalformedReportsAreRefusedAndTheControllerCarriesOn() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U");
      String host = a.enrollment().hostId;
      var stub = c.agentStub(a.nodeKey());
      HostSnapshot ok = TestController.snapshot("mac-a", "0.32.15", "M4");

      HostSnapshot huge = ok.toBuilder()
          .setIdentity(ok.getIdentity().toBuilder().setHardwareUuid("x".repeat(3 * 1024 * 1024)))
          .build();
      assertThat(code(() -> stub.report(TestController.report(host, 1, huge))))
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

      HostSnapshot badDigest = ok.toBuilder()
          .setOllama(ok.getOllama().toBuilder()
              .addModels(ModelInfo.newBuilder().setName("m:1").setDigest("not-hex")))
          .build();
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
          StatusRuntimeException.class,
          () -> stub.report(TestController.report(host, 1, badDigest)));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("digest");
      assertThat(c.server().reports().count()).isZero();

      assertThat(stub.report(TestController.report(host, 1, ok)).getOutcome())
          .isEqualTo(ReportAck.Outcome.STORED);
      assertThat(stub.report(TestController.report(host, 1, ok)).getOutcome())
          .isEqualTo(ReportAck.Outcome.DUPLICATE);
      assertThat(c.server().reports().count()).isEqualTo(1);
    }
  }

  @Test
  void unknownFieldsFromANewerAgentAreAccepted() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U");
      HostSnapshot s = TestController.snapshot("mac-a", "0.32.15", "M4").toBuilder()
          .setUnknownFields(UnknownFieldSet.newBuilder()
              .addField(
                  999,
                  UnknownFieldSet.Field.newBuilder()
                      .addLengthDelimited(ByteString.copyFromUtf8("from the future"))
                      .build())
              .build())
          .build();
      ReportRequest r = TestController.report(a.enrollment().hostId, 1, s);
      assertThat(c.agentStub(a.nodeKey()).report(r).getOutcome())
          .isEqualTo(ReportAck.Outcome.STORED);
    }
  }

  @Test
  void theAgentSetsAMalformedReportAsideAndDeliversTheRest() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U");
      String host = a.enrollment().hostId;
      HostSnapshot ok = TestController.snapshot("mac-a", "0.32.15", "M4");
      ReportSpool spool = new ReportSpool(a.spoolDir(), 100);
      spool.append(TestController.report(
          host,
          1,
          ok.toBuilder()
              .setOllama(ok.getOllama().toBuilder()
                  .addModels(ModelInfo.newBuilder().setName("m").setDigest("XYZ")))
              .build()));
      spool.append(TestController.report(host, 2, ok));
      ReportSender sender = new ReportSender(
          spool,
          io.macfleet.agent.link.ReportTransport.unary(c.agentCalls(a.nodeKey())),
          new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), new SplittableRandom(1)),
          Duration.ofSeconds(5));
      Thread t = new Thread(sender);
      t.start();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> spool.size() == 0);
      sender.stop();
      t.join(5000);
      assertThat(c.server().reports().sequences(host)).containsExactly(2L);
      Path rejected = a.spoolDir().resolve("rejected").resolve(String.format("%020d.report", 1));
      assertThat(rejected).exists();
      assertThat(Files.readString(rejected.resolveSibling(rejected.getFileName() + ".reason")))
          .contains("INVALID_ARGUMENT")
          .contains("digest");
    }
  }
}
