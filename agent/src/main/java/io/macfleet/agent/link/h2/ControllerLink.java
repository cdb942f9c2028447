package io.macfleet.agent.link.h2;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's gRPC client: calls to the controller over one HTTP/2 connection, on TLS that trusts only the pinned
 * controller CA (or plaintext, which the agent allows on loopback only). With several controllers it connects to the
 * first that answers, in the order given, and moves on when that connection goes. The connection is opened on the
 * first call and again after it breaks; each call says when it gives up.
 *
 * <p>Written for the agent instead of grpc-java's Netty transport: the daemon makes a few calls a minute, and
 * Netty and gRPC's runtime were 1,400 of its 4,900 classes and about a quarter of its memory (docs/benchmarks.md).
 */
public final class ControllerLink implements AutoCloseable {
  /** The largest message accepted from the controller. */
  public static final int MAX_MESSAGE = 4 * 1024 * 1024;

  private static final long KEEPALIVE_MS = 30_000;
  private static final long KEEPALIVE_TIMEOUT_MS = 10_000;
  private static final long CONNECT_TIMEOUT_MS = 10_000;

  /** One controller address as written: host (without brackets) and port. */
  record Target(String host, int port, String authority) {
    static Target parse(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      return new Target(host, Integer.parseInt(hostPort.substring(colon + 1)), hostPort);
    }
  }

  private final List<Target> targets;
  private final SSLContext tls; // null: plaintext
  private final ScheduledExecutorService timer;
  private final ExecutorService events;
  private final long keepaliveMs;
  private final long keepaliveTimeoutMs;
  private Http2Connection current; // guarded by this
  private volatile boolean closed;

  private ControllerLink(
      List<Target> targets, SSLContext tls, long keepaliveMs, long keepaliveTimeoutMs) {
    this.targets = targets;
    this.tls = tls;
    this.keepaliveMs = keepaliveMs;
    this.keepaliveTimeoutMs = keepaliveTimeoutMs;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "macfleet-link-keepalive"));
    this.events = Executors.newSingleThreadExecutor(r -> daemon(r, "macfleet-link-events"));
  }

  /**
   * A link to TARGET ("host:port", or several comma-separated for failover): TLS trusting only the certificates in
   * CA_PEM, or plaintext when INSECURE, which is refused unless every target is on this machine.
   */
  public static ControllerLink open(String target, String caPem, boolean insecure)
      throws IOException {
    return open(target, caPem, insecure, KEEPALIVE_MS, KEEPALIVE_TIMEOUT_MS);
  }

  /** With its own keepalive period and timeout (tests). */
  static ControllerLink open(
      String target, String caPem, boolean insecure, long keepaliveMs, long keepaliveTimeoutMs)
      throws IOException {
    ControllerAddresses.validate(target);
    List<Target> targets = new ArrayList<>();
    for (String t : target.split(",")) {
      targets.add(Target.parse(t.strip()));
    }
    if (insecure) {
      for (String t : target.split(",")) {
        if (!ControllerAddresses.isLoopback(t)) {
          throw new IOException(
              "--insecure (plaintext: the node key and reports in the clear) is only for a "
                  + "controller on this machine (localhost, 127.0.0.1, [::1]), not " + t
                  + "; enroll with TLS instead");
        }
      }
      return new ControllerLink(List.copyOf(targets), null, keepaliveMs, keepaliveTimeoutMs);
    }
    if (caPem == null) {
      throw new IOException(
          "no controller CA to pin; enroll with the bundle from the controller's data "
              + "directory (agent-bundle.json) or pass --ca-file, or use --insecure on loopback");
    }
    return new ControllerLink(List.copyOf(targets), pinned(caPem), keepaliveMs, keepaliveTimeoutMs);
  }

  /** TLS that trusts the certificates in CA_PEM and nothing else (not the system's CAs). */
  static SSLContext pinned(String caPem) throws IOException {
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(
              new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw new IOException(
            "the controller CA file holds no certificate; enroll again with the controller's "
                + "agent-bundle.json");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("controller-ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "the controller CA cannot be read as PEM certificates: " + e.getMessage(), e);
    }
  }

  /** One request, one answer; DEADLINE bounds connecting too. Throws {@link CallException} unless OK. */
  public <Req extends MessageLite, Resp> Resp unary(
      String method, Req request, Parser<Resp> parser, String bearer, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    CompletableFuture<Resp> answer = new CompletableFuture<>();
    GrpcCall<Req, Resp> call = start(method, parser, bearer, deadline, new CallListener<>() {
      private Resp first;

      @Override
      public void onMessage(Resp message) {
        if (first == null) {
          first = message;
        }
      }

      @Override
      public void onClose(CallStatus status) {
        if (!status.ok()) {
          answer.completeExceptionally(status.asException());
        } else if (first == null) {
          answer.completeExceptionally(CallStatus.Code.INTERNAL
              .status("the controller answered " + method + " with no message")
              .asException());
        } else {
          answer.complete(first);
        }
      }
    });
    call.sendLast(request);
    try {
      return answer.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      CallStatus s = CallStatus.Code.DEADLINE_EXCEEDED.status(
          "no answer from the controller within " + deadline.toMillis() + " ms");
      call.abort(s);
      throw s.asException();
    } catch (ExecutionException e) {
      throw (CallException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel("interrupted");
      throw CallStatus.Code.CANCELLED.status("interrupted").asException();
    }
  }

  /** A call with messages both ways (a bidirectional stream); LISTENER hears the controller's side. */
  public <Req extends MessageLite, Resp> CallSender<Req> stream(
      String method, Parser<Resp> parser, String bearer, CallListener<Resp> listener) {
    return start(method, parser, bearer, null, listener);
  }

  private <Req extends MessageLite, Resp> GrpcCall<Req, Resp> start(
      String method,
      Parser<Resp> parser,
      String bearer,
      Duration deadline,
      CallListener<Resp> listener) {
    long connectMs =
        deadline == null ? CONNECT_TIMEOUT_MS : Math.min(CONNECT_TIMEOUT_MS, deadline.toMillis());
    Http2Connection c = connection(Math.max(1, connectMs));
    List<Hpack.Field> headers = new ArrayList<>(9);
    headers.add(new Hpack.Field(":method", "POST"));
    headers.add(new Hpack.Field(":scheme", tls == null ? "http" : "https"));
    headers.add(new Hpack.Field(":path", method));
    headers.add(new Hpack.Field(":authority", c.peer()));
    headers.add(new Hpack.Field("content-type", "application/grpc"));
    headers.add(new Hpack.Field("te", "trailers"));
    headers.add(new Hpack.Field("user-agent", "macfleet-agent"));
    if (deadline != null) {
      long ms = Math.max(1, deadline.toMillis());
      headers.add(new Hpack.Field("grpc-timeout", ms <= 99_999_999 ? ms + "m" : ms / 1000 + "S"));
    }
    if (bearer != null) {
      headers.add(new Hpack.Field("authorization", "Bearer " + bearer));
    }
    long sendBy = deadline == null ? 0 : System.nanoTime() + deadline.toNanos();
    GrpcCall<Req, Resp> call = new GrpcCall<>(parser, listener, events, MAX_MESSAGE, sendBy);
    try {
      call.start(c, headers, "authorization");
    } catch (IOException e) {
      throw CallStatus.Code.UNAVAILABLE
          .status("could not start a call to " + c.peer() + ": " + e.getMessage(), e)
          .asException();
    }
    return call;
  }

  /** The open connection, or a new one to the first controller that answers. */
  private synchronized Http2Connection connection(long timeoutMs) {
    if (closed) {
      throw CallStatus.Code.CANCELLED
          .status("the agent's link to the controller is closed")
          .asException();
    }
    if (current != null && current.usable()) {
      return current;
    }
    // a connection told to go away finishes its own streams and closes itself
    List<String> failures = new ArrayList<>();
    IOException last = null;
    for (Target t : targets) {
      try {
        current = connect(t, timeoutMs);
        return current;
      } catch (IOException e) {
        last = e;
        failures.add(t.authority() + ": " + e.getMessage());
      }
    }
    throw CallStatus.Code.UNAVAILABLE
        .status(
            targets.size() == 1
                ? "cannot reach the controller at " + failures.get(0)
                : "cannot reach any controller (" + String.join("; ", failures) + ")",
            last)
        .asException();
  }

  private Http2Connection connect(Target t, long timeoutMs) throws IOException {
    IOException last = null;
    for (InetAddress address : InetAddress.getAllByName(t.host())) {
      Socket raw = new Socket();
      try {
        raw.connect(
            new InetSocketAddress(address, t.port()), (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        raw.setTcpNoDelay(true);
        raw.setKeepAlive(true);
        Socket s = tls == null ? raw : handshake(raw, t, timeoutMs);
        return new Http2Connection(s, t.authority(), timer, keepaliveMs, keepaliveTimeoutMs);
      } catch (IOException e) {
        raw.close();
        last = e;
      }
    }
    throw last;
  }

  private SSLSocket handshake(Socket raw, Target t, long timeoutMs) throws IOException {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, t.host(), t.port(), true);
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {"h2"});
    p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host dialled
    s.setSSLParameters(p);
    s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
    s.startHandshake();
    s.setSoTimeout(0);
    if (!"h2".equals(s.getApplicationProtocol())) {
      s.close();
      throw new IOException(
          "the server did not agree to HTTP/2 over TLS (ALPN \"h2\"): is this the controller's "
              + "gRPC port?");
    }
    return s;
  }

  @Override
  public void close() {
    Http2Connection c;
    synchronized (this) {
      closed = true;
      c = current;
      current = null;
    }
    if (c != null) {
      c.close();
    }
    events.shutdown();
    timer.shutdownNow();
    try {
      events.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
