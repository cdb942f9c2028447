package io.macfleet.agent.link;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Channels to the controller: TLS trusting only the pinned controller CA, or plaintext when asked. */
public final class ControllerChannels {
  private ControllerChannels() {}

  public static ManagedChannel open(String target, String caPem, boolean insecure) throws IOException {
    validateTarget(target);
    ChannelCredentials creds;
    if (insecure) {
      creds = InsecureChannelCredentials.create();
    } else {
      if (caPem == null) {
        throw new IOException("no controller CA to pin; enroll with the bundle from the controller's data "
            + "directory (agent-bundle.json) or pass --ca-file, or use --insecure on loopback");
      }
      creds = TlsChannelCredentials.newBuilder()
          .trustManager(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))
          .build();
    }
    return Grpc.newChannelBuilder(target, creds)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .maxInboundMessageSize(4 * 1024 * 1024)
        .build();
  }

  /** HOST:PORT only; catches "http://..." and missing ports before gRPC's vaguer errors do. */
  public static void validateTarget(String target) {
    if (target == null || !target.matches("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):\\d{1,5}")) {
      throw new IllegalArgumentException("controller address must be HOST:PORT, got: " + target);
    }
  }
}
