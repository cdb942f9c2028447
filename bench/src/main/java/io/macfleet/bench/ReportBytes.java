package io.macfleet.bench;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.Memory;
import io.macfleet.proto.v1.ReportReason;
import io.macfleet.proto.v1.ReportRequest;
import io.macfleet.proto.v1.Telemetry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A simulated agent's report on the control stream, encoded straight to wire bytes.
 *
 * <p>The load generator shares the machine with the controller it measures, so the cycles it spends building
 * and serializing 10,000 reports a second are taken from the controller. The snapshot is serialized once per
 * agent; each report appends only what changes (collection time and memory counters) as a second
 * HostSnapshot, which protobuf parsing merges into the first (a message field seen twice is merged, a scalar
 * seen twice keeps the last value). The controller parses exactly the message {@link #expected} builds.
 */
final class ReportBytes {
  /** Connect with the requests left as bytes; the responses are parsed as usual. */
  static final MethodDescriptor<byte[], ControllerMessage> CONNECT =
      AgentServiceGrpc.getConnectMethod().toBuilder(
              new Raw(), AgentServiceGrpc.getConnectMethod().getResponseMarshaller())
          .build();

  private final String hostId;
  private final byte[] base;
  private final Memory baseMemory;

  ReportBytes(String hostId, HostSnapshot snapshot) {
    this.hostId = hostId;
    this.base = snapshot.toByteArray();
    this.baseMemory = snapshot.getTelemetry().getMemory();
  }

  /** The AgentMessage carrying report {@code seq}, collected at {@code collectedMillis}. */
  byte[] encode(long seq, long collectedMillis) {
    byte[] tail = changes(seq, collectedMillis).toByteArray();
    int snapshotSize = base.length + tail.length;
    int reportSize = CodedOutputStream.computeStringSize(ReportRequest.HOST_ID_FIELD_NUMBER, hostId)
        + CodedOutputStream.computeUInt64Size(ReportRequest.SEQ_FIELD_NUMBER, seq)
        + CodedOutputStream.computeEnumSize(
            ReportRequest.REASON_FIELD_NUMBER, ReportReason.REPORT_INTERVAL_VALUE)
        + CodedOutputStream.computeTagSize(ReportRequest.SNAPSHOT_FIELD_NUMBER)
        + CodedOutputStream.computeUInt32SizeNoTag(snapshotSize)
        + snapshotSize;
    byte[] out = new byte
        [CodedOutputStream.computeTagSize(AgentMessage.REPORT_FIELD_NUMBER)
            + CodedOutputStream.computeUInt32SizeNoTag(reportSize)
            + reportSize];
    CodedOutputStream w = CodedOutputStream.newInstance(out);
    try {
      w.writeTag(AgentMessage.REPORT_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      w.writeUInt32NoTag(reportSize);
      w.writeString(ReportRequest.HOST_ID_FIELD_NUMBER, hostId);
      w.writeUInt64(ReportRequest.SEQ_FIELD_NUMBER, seq);
      w.writeEnum(ReportRequest.REASON_FIELD_NUMBER, ReportReason.REPORT_INTERVAL_VALUE);
      w.writeTag(ReportRequest.SNAPSHOT_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      w.writeUInt32NoTag(snapshotSize);
      w.writeRawBytes(base);
      w.writeRawBytes(tail);
      w.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The same report built the ordinary way: what {@link #encode} must parse to. */
  AgentMessage expected(HostSnapshot snapshot, long seq, long collectedMillis) {
    return AgentMessage.newBuilder()
        .setReport(ReportRequest.newBuilder()
            .setHostId(hostId)
            .setSeq(seq)
            .setReason(ReportReason.REPORT_INTERVAL)
            .setSnapshot(snapshot.toBuilder().mergeFrom(changes(seq, collectedMillis))))
        .build();
  }

  /** What moves between two reports of one Mac: the counters move as on a real one, so no two are the same. */
  private HostSnapshot changes(long seq, long collectedMillis) {
    return HostSnapshot.newBuilder()
        .setCollectedAt(Timestamp.newBuilder()
            .setSeconds(collectedMillis / 1000)
            .setNanos((int) (collectedMillis % 1000) * 1_000_000))
        .setTelemetry(Telemetry.newBuilder()
            .setMemory(Memory.newBuilder()
                .setPageouts(baseMemory.getPageouts() + seq)
                .setCompressorBytes(baseMemory.getCompressorBytes() + 4096 * (seq % 977))
                .setFreePercent((int) (30 + seq % 20))))
        .build();
  }

  /** Hands gRPC the bytes as they are (KnownLength and Drainable let it copy them once, into the frame). */
  private static final class Raw implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new Bytes(value);
    }

    @Override
    public byte[] parse(InputStream in) {
      try {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Bytes extends ByteArrayInputStream implements KnownLength, Drainable {
    Bytes(byte[] b) {
      super(b);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
