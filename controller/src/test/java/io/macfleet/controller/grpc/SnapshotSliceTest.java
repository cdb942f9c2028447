package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.StatusRuntimeException;
import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ReportRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SnapshotSliceTest {
  private static final HostSnapshot SNAPSHOT =
      TestController.snapshot("mac-slice", "0.32.15", "M4");

  private static byte[] lengthDelimited(int field, byte[] payload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeByteArray(field, payload);
    c.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void findsTheSnapshotOfAReportAsEncoded() throws Exception {
    AgentMessage m = AgentMessage.newBuilder()
        .setReport(TestController.report("h1", 7, SNAPSHOT))
        .build();

    ReceivedAgentMessage received = ReceivedAgentMessage.of(m.toByteArray());

    assertThat(received.message()).isEqualTo(m);
    assertThat(received.snapshotBytes()).isEqualTo(SNAPSHOT.toByteArray());
  }

  @Test
  void keepsTheAgentsBytesIncludingFieldsThisControllerDoesNotKnow() throws Exception {
    // a newer agent's snapshot: a field number this controller's schema does not have, after the
    // known ones
    byte[] newer =
        concat(SNAPSHOT.toByteArray(), lengthDelimited(999, "from a newer agent".getBytes()));
    byte[] report = concat(
        ReportRequest.newBuilder().setHostId("h1").setSeq(3).build().toByteArray(),
        lengthDelimited(ReportRequest.SNAPSHOT_FIELD_NUMBER, newer));
    byte[] message = lengthDelimited(AgentMessage.REPORT_FIELD_NUMBER, report);

    ReceivedAgentMessage received = ReceivedAgentMessage.of(message);

    assertThat(received.snapshotBytes()).isEqualTo(newer);
    assertThat(
            HostSnapshot.parseFrom(received.snapshotBytes()).getUnknownFields().hasField(999))
        .isTrue();
    assertThat(received.message().getReport().getSnapshot().getIdentity().getHostname())
        .isEqualTo("mac-slice");
  }

  @Test
  void givesNoSliceWhenParsingMergesSeveralOccurrences() throws Exception {
    HostSnapshot other = SNAPSHOT.toBuilder()
        .setIdentity(SNAPSHOT.getIdentity().toBuilder().setHostname("later"))
        .build();
    byte[] twoSnapshots = concat(
        ReportRequest.newBuilder().setHostId("h1").setSeq(3).build().toByteArray(),
        lengthDelimited(ReportRequest.SNAPSHOT_FIELD_NUMBER, SNAPSHOT.toByteArray()),
        lengthDelimited(ReportRequest.SNAPSHOT_FIELD_NUMBER, other.toByteArray()));
    ReceivedAgentMessage merged =
        ReceivedAgentMessage.of(lengthDelimited(AgentMessage.REPORT_FIELD_NUMBER, twoSnapshots));
    assertThat(merged.message().getReport().getSnapshot().getIdentity().getHostname())
        .isEqualTo("later");
    assertThat(merged.snapshotBytes()).isNull();

    byte[] oneReport = AgentMessage.newBuilder()
        .setReport(TestController.report("h1", 7, SNAPSHOT))
        .build()
        .toByteArray();
    assertThat(ReceivedAgentMessage.of(concat(oneReport, oneReport)).snapshotBytes())
        .isNull();
  }

  @Test
  void givesNoSliceForMessagesWithoutASnapshot() throws Exception {
    assertThat(ReceivedAgentMessage.of(AgentMessage.newBuilder()
                .setHello(AgentHello.newBuilder().setHostId("h1"))
                .build()
                .toByteArray())
            .snapshotBytes())
        .isNull();
    assertThat(ReceivedAgentMessage.of(AgentMessage.newBuilder()
                .setReport(ReportRequest.newBuilder().setSeq(1))
                .build()
                .toByteArray())
            .snapshotBytes())
        .isNull();
    // a hello after the report replaces it in the oneof: nothing to store, so no slice is looked
    // for
    byte[] reportThenHello = concat(
        AgentMessage.newBuilder()
            .setReport(TestController.report("h1", 7, SNAPSHOT))
            .build()
            .toByteArray(),
        AgentMessage.newBuilder()
            .setHello(AgentHello.newBuilder().setHostId("h1"))
            .build()
            .toByteArray());
    ReceivedAgentMessage hello = ReceivedAgentMessage.of(reportThenHello);
    assertThat(hello.message().hasHello()).isTrue();
    assertThat(hello.snapshotBytes()).isNull();
  }

  @Test
  void aMalformedMessageFailsAsGrpcsOwnMarshallerWould() {
    byte[] truncated = ByteString.copyFrom(AgentMessage.newBuilder()
            .setReport(TestController.report("h1", 7, SNAPSHOT))
            .build()
            .toByteArray())
        .substring(0, 40)
        .toByteArray();
    assertThatThrownBy(() -> ReceivedAgentMessage.of(truncated))
        .isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(
            () -> ReceivedAgentMessage.MARSHALLER.parse(new ByteArrayInputStream(truncated)))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("invalid protobuf");
  }
}
