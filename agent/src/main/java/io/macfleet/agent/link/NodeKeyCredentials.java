package io.macfleet.agent.link;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;

/** Attaches a bearer secret (node key or admin token) to every call. */
public final class NodeKeyCredentials extends CallCredentials {
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String secret;

  public NodeKeyCredentials(String secret) {
    this.secret = secret;
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    try {
      Metadata md = new Metadata();
      md.put(AUTHORIZATION, "Bearer " + secret);
      applier.apply(md);
    } catch (RuntimeException e) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription("could not attach credentials").withCause(e));
    }
  }

  @Override
  public String toString() {
    return "NodeKeyCredentials[redacted]"; // never print the secret
  }
}
