package io.macfleet.controller.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.macfleet.proto.v1.AgentMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A message from an agent's control stream, parsed, with its report's snapshot as the agent encoded it (null when
 * it carries no report, or when no single slice of it is the parsed snapshot; see {@link SnapshotSlice}).
 */
public record ReceivedAgentMessage(AgentMessage message, byte[] snapshotBytes) {

  /** Parses what gRPC received; a malformed message fails the call as gRPC's own protobuf marshaller does. */
  public static final MethodDescriptor.Marshaller<ReceivedAgentMessage> MARSHALLER =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(ReceivedAgentMessage value) {
          return new ByteArrayInputStream(value.message().toByteArray());
        }

        @Override
        public ReceivedAgentMessage parse(InputStream stream) {
          try {
            return of(readAll(stream));
          } catch (InvalidProtocolBufferException e) {
            throw Status.INTERNAL
                .withDescription("invalid protobuf byte sequence")
                .withCause(e)
                .asRuntimeException();
          } catch (IOException e) {
            throw Status.INTERNAL
                .withDescription("could not read the message")
                .withCause(e)
                .asRuntimeException();
          }
        }
      };

  public static ReceivedAgentMessage of(byte[] encoded) throws InvalidProtocolBufferException {
    AgentMessage message = AgentMessage.parseFrom(encoded);
    return new ReceivedAgentMessage(
        message, message.hasReport() ? SnapshotSlice.of(encoded) : null);
  }

  private static byte[] readAll(InputStream stream) throws IOException {
    // gRPC's received messages know their length: read them in one go instead of through a growing
    // buffer
    if (stream instanceof KnownLength) {
      int size = stream.available();
      byte[] b = new byte[size];
      int n = stream.readNBytes(b, 0, size);
      if (n == size && stream.read() == -1) {
        return b;
      }
      throw new IOException("message shorter or longer than its stated " + size + " bytes");
    }
    return stream.readAllBytes();
  }
}
