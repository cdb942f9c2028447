package io.macfleet.bench;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * Channels for the load generators, which play thousands of agents (and hostile ones) with grpc-java's async
 * stubs: TLS pinned to the controller's CA, the node key as a bearer. The real agent has its own client.
 */
final class GrpcAgents {
  private GrpcAgents() {}

  static ManagedChannel open(String target, String caPem) throws IOException {
    return NettyChannelBuilder.forTarget(
            target,
            TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))
                .build())
        .maxInboundMessageSize(4 * 1024 * 1024)
        .build();
  }

  static CallCredentials nodeKey(String key) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        applier.apply(md);
      }

      @Override
      public String toString() {
        return "nodeKey[redacted]";
      }
    };
  }
}
