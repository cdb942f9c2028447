package io.macfleet.agent.link.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.macfleet.agent.link.AgentCalls;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerHello;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import io.macfleet.proto.v1.Pong;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's own gRPC client against grpc-java's Netty server (what the controller runs) over loopback, and
 * against raw sockets that break the protocol on purpose: every failure ends in a status that says what happened,
 * within the call's deadline.
 */
class ControllerLinkTest {
  private Server server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final CountDownLatch cancelled = new CountDownLatch(1);

  /** What the test service does: answers by what the request asks for. */
  private final class Service extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public void enroll(EnrollRequest req, StreamObserver<EnrollResponse> out) {
      switch (req.getHostname()) {
        case "deny" ->
          out.onError(Status.PERMISSION_DENIED
              .withDescription("host ünïcode 100% denied\nforged: log line")
              .asRuntimeException());
        case "huge" -> {
          out.onNext(EnrollResponse.newBuilder().setNodeKey("k".repeat(5 << 20)).build());
          out.onCompleted();
        }
        default -> {
          // 3 MiB: past this side's 1 MiB windows, so the client must hand room back as it reads
          out.onNext(EnrollResponse.newBuilder()
              .setHostId("host-" + req.getHostname())
              .setNodeKey("n".repeat(3 << 20))
              .build());
          out.onCompleted();
        }
      }
    }

    @Override
    public void report(ReportRequest req, StreamObserver<ReportAck> out) {
      if (req.getSeq() == 99) { // never answered: the client's deadline must end it
        Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
        return;
      }
      out.onNext(ReportAck.newBuilder()
          .setSeq(req.getSeq())
          .setHeldSeq(req.getHostId().length())
          .build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage m) {
          if (m.hasHello()) {
            out.onNext(ControllerMessage.newBuilder()
                .setHello(ControllerHello.newBuilder().setReportsOnStream(true))
                .build());
          } else {
            out.onNext(ControllerMessage.newBuilder()
                .setPing(
                    io.macfleet.proto.v1.Ping.newBuilder().setNonce(m.getPong().getNonce()))
                .build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  @BeforeEach
  void start() throws IOException {
    ServerInterceptor recordAuth = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String auth =
            headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
        authorizations.add(call.getMethodDescriptor().getBareMethodName() + "=" + auth);
        return next.startCall(call, headers);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new Service(), recordAuth))
        .build()
        .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Test
  void unaryCallsCarryTheNodeKeyAndMessagesPastEveryWindow() throws IOException {
    try (ControllerLink link = ControllerLink.open(target(), null, true)) {
      AgentCalls calls = new AgentCalls(link, "node-key-1");
      // 200 KB out: past grpc-java's 64 KiB initial window, so this side must wait for its
      // WINDOW_UPDATEs
      ReportAck ack = calls.report(
          ReportRequest.newBuilder().setSeq(7).setHostId("h".repeat(200_000)).build(),
          Duration.ofSeconds(10));
      assertThat(ack.getSeq()).isEqualTo(7);
      assertThat(ack.getHeldSeq()).isEqualTo(200_000);
      EnrollResponse enrolled = calls.enroll(
          EnrollRequest.newBuilder().setHostname("mac-a").build(), Duration.ofSeconds(10));
      assertThat(enrolled.getHostId()).isEqualTo("host-mac-a");
      assertThat(enrolled.getNodeKey()).hasSize(3 << 20);
      for (int seq = 1; seq <= 50; seq++) { // one connection, many streams
        assertThat(calls
                .report(ReportRequest.newBuilder().setSeq(seq).build(), Duration.ofSeconds(5))
                .getSeq())
            .isEqualTo(seq);
      }
    }
    assertThat(authorizations).contains("Report=Bearer node-key-1", "Enroll=null");
  }

  @Test
  void theControllersStatusArrivesAsSentButAsOnePrintableLine() throws IOException {
    try (ControllerLink link = ControllerLink.open(target(), null, true)) {
      AgentCalls calls = new AgentCalls(link, null);
      assertThatThrownBy(() -> calls.enroll(
              EnrollRequest.newBuilder().setHostname("deny").build(), Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.code()).isEqualTo(CallStatus.Code.PERMISSION_DENIED);
            assertThat(e.status().description())
                .isEqualTo("host ünïcode 100% denied?forged: log line");
          });
    }
  }

  @Test
  void aMessageOverTheLimitIsRefusedAndTheLinkStillWorks() throws IOException {
    try (ControllerLink link = ControllerLink.open(target(), null, true)) {
      AgentCalls calls = new AgentCalls(link, null);
      assertThatThrownBy(() -> calls.enroll(
              EnrollRequest.newBuilder().setHostname("huge").build(), Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.code()).isEqualTo(CallStatus.Code.RESOURCE_EXHAUSTED);
            assertThat(e.status().description()).contains("over this agent's 4194304-byte limit");
          });
      assertThat(calls
              .report(ReportRequest.newBuilder().setSeq(3).build(), Duration.ofSeconds(5))
              .getSeq())
          .isEqualTo(3);
    }
  }

  @Test
  void aDeadlineEndsACallTheControllerNeverAnswersAndTellsTheController() throws Exception {
    try (ControllerLink link = ControllerLink.open(target(), null, true)) {
      AgentCalls calls = new AgentCalls(link, "k");
      long t0 = System.nanoTime();
      assertThatThrownBy(() ->
              calls.report(ReportRequest.newBuilder().setSeq(99).build(), Duration.ofMillis(400)))
          .isInstanceOfSatisfying(
              CallException.class,
              e -> assertThat(e.code()).isEqualTo(CallStatus.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(cancelled.await(5, TimeUnit.SECONDS))
          .as("the server's call was cancelled")
          .isTrue();
    }
  }

  @Test
  void theControlStreamCarriesMessagesBothWaysInOrderAndClosesOnce() throws Exception {
    LinkedBlockingQueue<Object> heard = new LinkedBlockingQueue<>();
    try (ControllerLink link = ControllerLink.open(target(), null, true)) {
      CallSender<AgentMessage> to = new AgentCalls(link, "k").connect(new CallListener<>() {
        @Override
        public void onMessage(ControllerMessage m) {
          heard.add(m);
        }

        @Override
        public void onClose(CallStatus status) {
          heard.add(status);
        }
      });
      to.send(AgentMessage.newBuilder()
          .setHello(AgentHello.newBuilder().setHostId("h"))
          .build());
      for (int i = 1; i <= 200; i++) {
        to.send(AgentMessage.newBuilder().setPong(Pong.newBuilder().setNonce(i)).build());
      }
      assertThat(
              ((ControllerMessage) heard.poll(5, TimeUnit.SECONDS)).getHello().getReportsOnStream())
          .isTrue();
      for (int i = 1; i <= 200; i++) {
        assertThat(
                ((ControllerMessage) heard.poll(5, TimeUnit.SECONDS)).getPing().getNonce())
            .isEqualTo(i);
      }
      to.halfClose();
      assertThat(heard.poll(5, TimeUnit.SECONDS))
          .isEqualTo(new CallStatus(CallStatus.Code.OK, null, null));
      assertThat(heard.poll(300, TimeUnit.MILLISECONDS))
          .as("closed exactly once")
          .isNull();
      assertThatThrownBy(() -> to.send(AgentMessage.getDefaultInstance()))
          .isInstanceOf(CallException.class);
    }
  }

  @Test
  void closingTheLinkEndsItsOpenStream() throws Exception {
    LinkedBlockingQueue<CallStatus> closed = new LinkedBlockingQueue<>();
    ControllerLink link = ControllerLink.open(target(), null, true);
    CallSender<AgentMessage> to = new AgentCalls(link, "k").connect(new CallListener<>() {
      @Override
      public void onMessage(ControllerMessage m) {}

      @Override
      public void onClose(CallStatus status) {
        closed.add(status);
      }
    });
    to.send(AgentMessage.newBuilder().setHello(AgentHello.newBuilder()).build());
    link.close();
    assertThat(closed.poll(5, TimeUnit.SECONDS).code()).isEqualTo(CallStatus.Code.CANCELLED);
    assertThatThrownBy(() -> new AgentCalls(link, "k")
            .report(ReportRequest.getDefaultInstance(), Duration.ofSeconds(1)))
        .hasMessageContaining("closed");
  }

  @Test
  void failsOverToTheNextControllerThatAnswers() throws IOException {
    int nobody;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nobody = s.getLocalPort(); // closed again: nothing listens there
    }
    try (ControllerLink link =
        ControllerLink.open("127.0.0.1:" + nobody + "," + target(), null, true)) {
      assertThat(new AgentCalls(link, "k")
              .report(ReportRequest.newBuilder().setSeq(5).build(), Duration.ofSeconds(5))
              .getSeq())
          .isEqualTo(5);
    }
    try (ControllerLink link = ControllerLink.open("127.0.0.1:" + nobody, null, true)) {
      assertThatThrownBy(() -> new AgentCalls(link, "k")
              .report(ReportRequest.getDefaultInstance(), Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
            assertThat(e.getMessage())
                .contains("cannot reach the controller at 127.0.0.1:" + nobody);
          });
    }
  }

  @Test
  void plaintextIsRefusedBeyondLoopbackAndTlsNeedsACertificate() {
    assertThatThrownBy(() -> ControllerLink.open("10.1.2.3:7443", null, true))
        .hasMessageContaining("--insecure");
    assertThatThrownBy(() -> ControllerLink.open("10.1.2.3:7443", null, false))
        .hasMessageContaining("no controller CA");
    assertThatThrownBy(() -> ControllerLink.open("10.1.2.3:7443", "not a certificate", false))
        .hasMessageContaining("controller CA");
  }

  // ---- servers that break the protocol on purpose ----

  /** Accepts one connection, reads whatever comes, and writes SCRIPT (then holds the socket open). */
  private static ServerSocket rawServer(byte[] script) throws IOException {
    return rawServer(script, 0);
  }

  /** The same, writing SCRIPT only once the client has sent FIRST bytes (its preface and first request). */
  private static ServerSocket rawServer(byte[] script, int first) throws IOException {
    ServerSocket ss = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (Socket s = ss.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        in.readNBytes(first);
        out.write(script);
        out.flush();
        byte[] sink = new byte[4096];
        while (in.read(sink) >= 0) {
          // drain until the client goes
        }
      } catch (IOException ignored) {
        // the client hung up
      }
    });
    t.setDaemon(true);
    t.start();
    return ss;
  }

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    f[0] = (byte) (payload.length >>> 16);
    f[1] = (byte) (payload.length >>> 8);
    f[2] = (byte) payload.length;
    f[3] = (byte) type;
    f[4] = (byte) flags;
    System.arraycopy(Http2Connection.int32(stream), 0, f, 5, 4);
    System.arraycopy(payload, 0, f, 9, payload.length);
    return f;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static CallException reportAgainst(ServerSocket ss, Duration deadline)
      throws IOException {
    try (ss;
        ControllerLink link =
            ControllerLink.open("127.0.0.1:" + ss.getLocalPort(), null, true, 200, 300)) {
      try {
        new AgentCalls(link, "k").report(ReportRequest.getDefaultInstance(), deadline);
      } catch (CallException e) {
        return e;
      }
    }
    throw new AssertionError("the call succeeded against a broken server");
  }

  @Test
  void paddedFramesFromAnotherServerAreRead() throws IOException {
    byte[] headers = Hpack.encode(
        List.of(
            new Hpack.Field(":status", "200"),
            new Hpack.Field("content-type", "application/grpc+proto")),
        "");
    byte[] ack = ReportAck.newBuilder().setSeq(42).build().toByteArray();
    byte[] message = concat(new byte[] {0}, Http2Connection.int32(ack.length), ack);
    byte[] trailers = Hpack.encode(List.of(new Hpack.Field("grpc-status", "0")), "");
    byte[] script = concat(
        frame(Http2Connection.SETTINGS, 0, 0, new byte[0]),
        frame(
            Http2Connection.HEADERS,
            Http2Connection.END_HEADERS | Http2Connection.PADDED,
            1,
            concat(new byte[] {3}, headers, new byte[3])),
        frame(
            Http2Connection.DATA,
            Http2Connection.PADDED,
            1,
            concat(new byte[] {2}, message, new byte[2])),
        frame(
            Http2Connection.HEADERS,
            Http2Connection.END_HEADERS | Http2Connection.END_STREAM,
            1,
            trailers));
    // the client's preface (24 bytes), SETTINGS (27), WINDOW_UPDATE (13) and the call's HEADERS
    // come first
    try (ServerSocket ss = rawServer(script, 24 + 27 + 13 + 9);
        ControllerLink link = ControllerLink.open("127.0.0.1:" + ss.getLocalPort(), null, true)) {
      assertThat(new AgentCalls(link, "k")
              .report(ReportRequest.getDefaultInstance(), Duration.ofSeconds(5))
              .getSeq())
          .isEqualTo(42);
    }
  }

  @Test
  void aServerThatIsNotHttp2IsNamedAsSuch() throws IOException {
    CallException e = reportAgainst(
        rawServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)),
        Duration.ofSeconds(5));
    assertThat(e.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
    assertThat(e.getMessage()).contains("does not speak HTTP/2").contains("HTTP/1.1");
  }

  @Test
  void aServerThatSpeaksFirstIsNamedToo() throws IOException {
    // an SSH port: its banner arrives before this side has finished its own preface
    for (int i = 0; i < 20; i++) {
      CallException e = reportAgainst(
          rawServer(
              "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".getBytes(StandardCharsets.US_ASCII)),
          Duration.ofSeconds(5));
      assertThat(e.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
      assertThat(e.getMessage()).contains("does not speak HTTP/2").contains("SSH-2.0");
    }
  }

  @Test
  void undecodableHeadersCloseTheConnectionWithTheReason() throws IOException {
    byte[] script = concat(
        frame(Http2Connection.SETTINGS, 0, 0, new byte[0]),
        frame(Http2Connection.HEADERS, Http2Connection.END_HEADERS, 1, new byte[] {(byte) 0xc6
        })); // index 70
    CallException e = reportAgainst(rawServer(script), Duration.ofSeconds(5));
    assertThat(e.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
    assertThat(e.getMessage()).contains("cannot be decoded").contains("index 70");
  }

  @Test
  void anOversizedFrameIsRefusedBeforeItIsRead() throws IOException {
    byte[] big = frame(Http2Connection.DATA, 0, 1, new byte[0]);
    big[0] = 0x7f; // announces 8 MB
    CallException e = reportAgainst(
        rawServer(concat(frame(Http2Connection.SETTINGS, 0, 0, new byte[0]), big)),
        Duration.ofSeconds(5));
    assertThat(e.getMessage()).contains("over 16384");
  }

  @Test
  void aControllerThatStopsAnsweringIsDroppedByTheKeepalive() throws Exception {
    // a server that says SETTINGS and then nothing at all, not even PING acknowledgements
    try (ServerSocket ss = rawServer(frame(Http2Connection.SETTINGS, 0, 0, new byte[0]));
        ControllerLink link =
            ControllerLink.open("127.0.0.1:" + ss.getLocalPort(), null, true, 200, 300)) {
      LinkedBlockingQueue<CallStatus> closed = new LinkedBlockingQueue<>();
      new AgentCalls(link, "k").connect(new CallListener<>() {
        @Override
        public void onMessage(ControllerMessage m) {}

        @Override
        public void onClose(CallStatus status) {
          closed.add(status);
        }
      });
      CallStatus s = closed.poll(5, TimeUnit.SECONDS);
      assertThat(s).isNotNull();
      assertThat(s.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
      assertThat(s.description()).contains("did not answer a keepalive PING");
    }
  }

  @Test
  void aServerThatGivesNoRoomToSendCostsNoMoreThanTheDeadline() throws IOException {
    // SETTINGS with a window of 0 for every stream, and no WINDOW_UPDATE ever after; the request is
    // larger than
    // HTTP/2's default window too, so it blocks whether the SETTINGS arrive before the request or
    // after it
    byte[] noRoom = frame(Http2Connection.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0});
    try (ServerSocket ss = rawServer(noRoom);
        ControllerLink link = ControllerLink.open("127.0.0.1:" + ss.getLocalPort(), null, true)) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> new AgentCalls(link, "k")
              .report(
                  ReportRequest.newBuilder().setHostId("h".repeat(100_000)).build(),
                  Duration.ofMillis(500)))
          .isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.code()).isEqualTo(CallStatus.Code.DEADLINE_EXCEEDED);
            assertThat(e.getMessage()).contains("no room to send");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aServerThatNeverSpeaksCostsNoMoreThanTheDeadline() throws IOException {
    long t0 = System.nanoTime();
    CallException e = reportAgainst(rawServer(new byte[0]), Duration.ofMillis(500));
    assertThat(e.code()).isIn(CallStatus.Code.DEADLINE_EXCEEDED, CallStatus.Code.UNAVAILABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }
}
