package io.macfleet.controller.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.MetadataUtils;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.shared.ProtoTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A connection to the controller's admin service, with errors turned into exit codes and advice. */
public final class AdminClient implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Metadata.Key<String> ACTOR =
      Metadata.Key.of("x-macfleet-actor", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final EventLoopGroup network;
  private final AdminServiceGrpc.AdminServiceBlockingStub stub;
  private final AdminServiceGrpc.AdminServiceStub async;
  private final String target;
  private final java.nio.file.Path caFile;

  public AdminClient(ConnectionOptions opts) {
    this.target = opts.target();
    this.caFile = opts.insecure ? null : opts.caFile();
    if (!target.matches("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):\\d{1,5}")) {
      throw new CliException(
          ExitCodes.USAGE, "controller address must be HOST:PORT, got: " + target);
    }
    InProcessCaller caller = InProcessCaller.CURRENT.get();
    String token = caller != null ? caller.token() : token(opts);
    ChannelCredentials creds;
    if (opts.insecure) {
      if (!loopback(target)) {
        throw new CliException(
            ExitCodes.USAGE,
            "--insecure (plaintext, the admin token in the clear) is only for a "
                + "controller on this machine (localhost, 127.0.0.1, [::1]), not " + target
                + "; drop --insecure");
      }
      creds = InsecureChannelCredentials.create();
    } else {
      if (!Files.isReadable(opts.caFile())) {
        throw new CliException(
            ExitCodes.ERROR,
            "no controller CA at " + opts.caFile()
                + "; copy tls/ca.pem from the controller's data directory and pass --ca-file (or --data-dir)");
      }
      try {
        requireCertificate(opts.caFile());
        creds = TlsChannelCredentials.newBuilder()
            .trustManager(opts.caFile().toFile())
            .build();
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.ERROR, "cannot read CA " + opts.caFile() + ": " + e.getMessage());
      }
    }
    // its own network thread, ended in close(): gRPC's shared one outlives the call by a second,
    // and the JVM
    // waits up to 300 ms at exit for a thread still inside epoll or select (a third of `macfleet
    // hosts`)
    this.network = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("macfleet-cli-network", true), NioIoHandler.newFactory());
    this.channel = NettyChannelBuilder.forTarget(target, creds)
        .eventLoopGroup(network)
        .channelType(NioSocketChannel.class)
        .build();
    Metadata md = new Metadata();
    md.put(AUTHORIZATION, "Bearer " + token);
    md.put(
        ACTOR,
        (caller != null ? caller.actor() : ConnectionOptions.localUser())
            .replaceAll("[^\\x20-\\x7e]", "?"));
    this.stub = AdminServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    this.async = AdminServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  /** A CA file that holds no PEM certificate is named as such, not as Netty's "Unable to create SslContext". */
  private static void requireCertificate(java.nio.file.Path ca) throws IOException {
    try (var in = Files.newInputStream(ca)) {
      if (java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificates(in)
          .isEmpty()) {
        throw new java.security.cert.CertificateException("empty");
      }
    } catch (java.security.cert.CertificateException e) {
      throw new CliException(
          ExitCodes.ERROR,
          ca
              + " holds no certificate; copy tls/ca.pem from the controller's data directory and pass "
              + "--ca-file (or --data-dir)");
    }
  }

  /**
   * Whether HOST:PORT names this machine by a loopback name or address, as written (no DNS lookup). The agent has
   * its own (ControllerChannels.isLoopback): the two modules share only the protocol.
   */
  static boolean loopback(String hostPort) {
    String host =
        hostPort.substring(0, hostPort.lastIndexOf(':')).replace("[", "").replace("]", "");
    return host.equalsIgnoreCase("localhost")
        || host.equals("::1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static String token(ConnectionOptions opts) {
    String env = System.getenv(ConnectionOptions.ENV_TOKEN);
    if (opts.tokenFile == null && env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      if (Files.exists(opts.tokenFile())
          && java.nio.file.FileSystems.getDefault()
              .supportedFileAttributeViews()
              .contains("posix")) {
        var perms = Files.getPosixFilePermissions(opts.tokenFile());
        if (perms.stream()
            .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          // the way ssh treats a private key others can read: refuse it rather than use a token
          // anyone may have
          throw new CliException(
              ExitCodes.AUTH,
              opts.tokenFile() + " is readable by others ("
                  + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                  + "); run: chmod 600 "
                  + opts.tokenFile());
        }
      }
      String t = Files.readString(opts.tokenFile(), StandardCharsets.UTF_8).strip();
      if (t.isEmpty()) {
        throw new CliException(ExitCodes.AUTH, opts.tokenFile() + " is empty");
      }
      return t;
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.AUTH,
          "cannot read the admin token " + opts.tokenFile()
              + " (" + e.getClass().getSimpleName() + "); pass --token-file or --data-dir, or set $"
              + ConnectionOptions.ENV_TOKEN);
    }
  }

  /** Runs one call with a deadline; gRPC failures become CliExceptions with the right exit code. */
  public <T> T call(Function<AdminServiceGrpc.AdminServiceBlockingStub, T> rpc) {
    return call(rpc, 15);
  }

  /** A call that may take longer (remote operations over SSH). */
  public <T> T call(Function<AdminServiceGrpc.AdminServiceBlockingStub, T> rpc, int seconds) {
    try {
      return rpc.apply(stub.withDeadlineAfter(seconds, TimeUnit.SECONDS));
    } catch (StatusRuntimeException e) {
      throw translate(e);
    }
  }

  /** Streams an export, line by line, to the sink. */
  public long export(
      io.macfleet.proto.v1.ExportRequest req, java.util.function.Consumer<String> sink) {
    long n = 0;
    try {
      var it = stub.withDeadlineAfter(30, TimeUnit.MINUTES).export(req);
      while (it.hasNext()) {
        for (String line : it.next().getLinesList()) {
          sink.accept(line);
          n++;
        }
      }
      return n;
    } catch (StatusRuntimeException e) {
      throw translate(e);
    }
  }

  /** What the controller holds of one model since a time, as a dataset for the verdict engine. */
  public io.macfleet.controller.interchange.Dataset dataset(String model, java.time.Instant since) {
    var d = new io.macfleet.controller.interchange.Dataset();
    long[] line = {0};
    export(
        io.macfleet.proto.v1.ExportRequest.newBuilder()
            .setModel(model)
            .setSince(ProtoTime.of(since))
            .build(),
        l -> {
          try {
            io.macfleet.controller.interchange.RecordParser.parse(++line[0], l).ifPresent(d::add);
          } catch (io.macfleet.controller.interchange.InterchangeException e) {
            throw new CliException(
                ExitCodes.ERROR, "the controller sent a bad record: " + e.getMessage());
          }
        });
    return d;
  }

  /** Sends a whole file's lines in chunks; the controller applies them only once all have arrived. */
  public io.macfleet.proto.v1.ImportResponse importLines(java.util.List<String> lines) {
    var done = new java.util.concurrent.CompletableFuture<io.macfleet.proto.v1.ImportResponse>();
    var req = async
        .withDeadlineAfter(30, TimeUnit.MINUTES)
        .import_(new io.grpc.stub.StreamObserver<>() {
          @Override
          public void onNext(io.macfleet.proto.v1.ImportResponse r) {
            done.complete(r);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    for (int from = 0; from < lines.size(); from += 2000) {
      req.onNext(io.macfleet.proto.v1.InterchangeLines.newBuilder()
          .addAllLines(lines.subList(from, Math.min(lines.size(), from + 2000)))
          .build());
    }
    req.onCompleted();
    try {
      return done.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw translate(s);
      }
      throw new CliException(ExitCodes.ERROR, "import failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted");
    }
  }

  private CliException translate(StatusRuntimeException e) {
    Status s = e.getStatus();
    String d = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    int exit = io.macfleet.controller.fleet.FleetException.Kind.exitCode(s.getCode());
    if (s.getCode() == Status.Code.UNAVAILABLE || s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return new CliException(exit, unreachable(e, d));
    }
    // the controller's own words; a gRPC code name only for what the error table does not know
    return new CliException(
        exit, exit == ExitCodes.ERROR ? "unexpected answer from the controller: " + d : d);
  }

  /**
   * Why the controller could not be reached, in one line a person can act on: a name that does not resolve, a
   * certificate the pinned CA did not sign, a TLS handshake that failed, or nothing listening — never gRPC's or
   * Netty's own words.
   */
  private String unreachable(StatusRuntimeException e, String description) {
    String host = target.substring(0, target.lastIndexOf(':'));
    // the whole cause chain first: a TLS error wraps the certificate problem that explains it
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e;
        t != null && chain.size() < 20;
        t = t.getCause() == t ? null : t.getCause()) {
      chain.add(t);
    }
    if (description.contains("Unable to resolve host")
        || chain.stream().anyMatch(t -> t instanceof java.net.UnknownHostException)) {
      return "the controller's host name " + host + " does not resolve; check --controller (or "
          + "$" + ConnectionOptions.ENV_CONTROLLER + ")";
    }
    if (chain.stream()
        .anyMatch(t -> t instanceof java.security.cert.CertificateException
            || t instanceof java.security.cert.CertPathValidatorException
            || String.valueOf(t.getMessage())
                .matches("(?s).*(PKIX path|certification path|certificate verify failed"
                    + "|certificate_unknown|unknown_ca|bad_certificate).*"))) {
      return "the controller at " + target
          + " presents a certificate that is not signed by the CA in "
          + caFile
          + "; copy tls/ca.pem from that controller's data directory (--ca-file), or check "
          + "--controller";
    }
    if (chain.stream().anyMatch(t -> t instanceof java.net.ConnectException)) {
      return "nothing answers at " + target
          + "; is `macfleet serve` running there, and is --controller right?";
    }
    for (Throwable t : chain) {
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS with the controller at " + target + " failed ("
            + Table.escape(String.valueOf(t.getMessage()))
            + "); is it a plaintext controller (then --insecure, on this machine only), or the wrong port?";
      }
    }
    if (description.contains("deadline") || description.contains("DEADLINE")) {
      return "the controller at " + target
          + " did not answer in time; is it overloaded, or behind a firewall?";
    }
    return "controller unreachable at " + target
        + "; is `macfleet serve` running there, and is --controller " + "right? ("
        + Table.escape(description) + ")";
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
      network.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
