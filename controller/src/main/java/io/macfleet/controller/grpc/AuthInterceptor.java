package io.macfleet.controller.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.macfleet.controller.fleet.NodeKeyAuthenticator;
import io.macfleet.controller.security.ControllerSecrets;
import io.macfleet.controller.store.HostCredential;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.AgentServiceGrpc;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call before it reaches a handler: agent calls by node key (except Enroll,
 * which carries the enrollment secret in its body), admin calls by the admin token. Health checks
 * and reflection are open; any other service is refused. Secrets are never logged.
 */
public final class AuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  public static final Context.Key<HostCredential> HOST = Context.key("macfleet-host");
  /** Who an admin call says it is acting for (the CLI sends the OS user; the SSH endpoint the verified key). */
  static final Metadata.Key<String> ACTOR_HEADER =
      Metadata.Key.of("x-macfleet-actor", Metadata.ASCII_STRING_MARSHALLER);

  public static final Context.Key<String> ACTOR = Context.key("macfleet-actor");
  /** The caller's address without its port (what per-peer limits count by); "" when unknown. */
  public static final Context.Key<String> PEER = Context.keyWithDefault("macfleet-peer", "");

  private final NodeKeyAuthenticator nodeKeys;
  private final ControllerSecrets secrets;
  private final AtomicLong failures = new AtomicLong();

  public AuthInterceptor(NodeKeyAuthenticator nodeKeys, ControllerSecrets secrets) {
    this.nodeKeys = nodeKeys;
    this.secrets = secrets;
  }

  public long failures() {
    return failures.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    String service = call.getMethodDescriptor().getServiceName();
    if (method.equals(AgentServiceGrpc.getEnrollMethod().getFullMethodName())) {
      Object peer = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String address = peer instanceof java.net.InetSocketAddress a && a.getAddress() != null
          ? a.getAddress().getHostAddress()
          : String.valueOf(peer);
      return Contexts.interceptCall(
          Context.current().withValue(PEER, address), call, headers, next);
    }
    if ("grpc.health.v1.Health".equals(service)
        || service != null && service.startsWith("grpc.reflection.")) {
      return next.startCall(call, headers);
    }
    String bearer = bearer(headers);
    if (AgentServiceGrpc.SERVICE_NAME.equals(service)) {
      Optional<HostCredential> host = nodeKeys.authenticate(bearer);
      if (host.isEmpty()) {
        return refuse(
            call,
            "node key missing, unknown or revoked; enroll the agent again "
                + "(macfleet-agent enroll) or ask an admin whether the host was revoked",
            method);
      }
      return Contexts.interceptCall(
          Context.current().withValue(HOST, host.get()), call, headers, next);
    }
    if (AdminServiceGrpc.SERVICE_NAME.equals(service)) {
      boolean endpoint = secrets.endpointTokenMatches(bearer);
      if (!endpoint && !secrets.adminTokenMatches(bearer)) {
        return refuse(
            call,
            "admin token missing or wrong; use the admin-token file from the controller's "
                + "data directory",
            method);
      }
      String said = headers.get(ACTOR_HEADER);
      String name =
          said == null || said.isBlank() ? "" : said.replaceAll("[^A-Za-z0-9@._:+ ()/=-]", "?");
      name = name.length() > 120 ? name.substring(0, 120) : name;
      Object peer = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      // the actor is what the credential proves: the SSH endpoint's user (it verified the key), or
      // the admin token
      // and where the call came from; a name sent with the admin token is kept only as the client's
      // unverified word
      String actor = endpoint
          ? (name.isEmpty() ? "ssh:unknown" : name) + " via ssh"
          : "admin-token from " + peer + (name.isEmpty() ? "" : " (says " + name + ", unverified)");
      return Contexts.interceptCall(Context.current().withValue(ACTOR, actor), call, headers, next);
    }
    call.close(
        Status.PERMISSION_DENIED.withDescription("unknown service " + service), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why, String method) {
    long n = failures.incrementAndGet();
    log.warn(
        "refused {} from {}: authentication failed ({} failures so far)",
        method,
        call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        n);
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  static String bearer(Metadata headers) {
    String v = headers.get(AUTHORIZATION);
    if (v == null || !v.startsWith("Bearer ")) {
      return null;
    }
    return v.substring("Bearer ".length()).strip();
  }
}
