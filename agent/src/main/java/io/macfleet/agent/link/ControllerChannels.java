package io.macfleet.agent.link;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Channels to the controller: TLS trusting only the pinned controller CA, or plaintext when asked. */
public final class ControllerChannels {
  private ControllerChannels() {}

  /** Whether HOST:PORT names this machine by a loopback name or address (no DNS lookup: a name is taken as written). */
  public static boolean isLoopback(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = (colon > 0 ? hostPort.substring(0, colon) : hostPort)
        .replace("[", "")
        .replace("]", "")
        .strip();
    return host.equalsIgnoreCase("localhost")
        || host.equals("::1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  public static ManagedChannel open(String target, String caPem, boolean insecure)
      throws IOException {
    validateTarget(target);
    ChannelCredentials creds;
    if (insecure) {
      for (String t : target.split(",")) {
        if (!isLoopback(t)) {
          throw new IOException(
              "--insecure (plaintext: the node key and reports in the clear) is only for a "
                  + "controller on this machine (localhost, 127.0.0.1, [::1]), not " + t
                  + "; enroll with TLS instead");
        }
      }
      creds = InsecureChannelCredentials.create();
    } else {
      if (caPem == null) {
        throw new IOException(
            "no controller CA to pin; enroll with the bundle from the controller's data "
                + "directory (agent-bundle.json) or pass --ca-file, or use --insecure on loopback");
      }
      creds = TlsChannelCredentials.newBuilder()
          .trustManager(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))
          .build();
    }
    List<String> targets = List.of(target.split(","));
    var builder = targets.size() == 1
        ? NettyChannelBuilder.forTarget(target, creds)
        : failover(targets, creds);
    return builder
        // a fixed window instead of gRPC's BDP auto-tuning, which pings the controller after nearly
        // every message
        // received when messages are small and far apart (grpc-java #8260): a ping round trip per
        // report
        .flowControlWindow(NettyChannelBuilder.DEFAULT_FLOW_CONTROL_WINDOW)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .maxInboundMessageSize(4 * 1024 * 1024)
        .build();
  }

  /** Several controllers, tried in order: the first that answers serves, the next takes over when it goes. */
  @SuppressWarnings(
      "deprecation") // the per-channel resolver factory keeps the resolver out of the global
  // registry
  private static NettyChannelBuilder failover(List<String> targets, ChannelCredentials creds) {
    ControllerAddresses addresses = new ControllerAddresses(targets);
    return NettyChannelBuilder.forTarget(addresses.uri(), creds)
        .nameResolverFactory(addresses)
        .defaultLoadBalancingPolicy("pick_first");
  }

  /**
   * HOST:PORT, or several separated by commas for failover; catches "http://..." and missing ports before
   * gRPC's vaguer errors do.
   */
  public static void validateTarget(String target) {
    if (target == null) {
      throw new IllegalArgumentException("controller address must be HOST:PORT, got: null");
    }
    for (String t : target.split(",", -1)) {
      if (!t.matches("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):\\d{1,5}")) {
        throw new IllegalArgumentException(
            "controller address must be HOST:PORT (or several, comma-separated), got: " + target);
      }
    }
  }
}
