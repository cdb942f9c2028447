package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ControlStream;
import io.macfleet.agent.link.ReportSender;
import io.macfleet.agent.link.ReportSpool;
import io.macfleet.agent.link.ReportTransport;
import io.macfleet.agent.link.StreamReportTransport;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.controller.AgentChannels;
import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.Ping;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports on the Connect stream: the same rules as the Report call, and the call when the stream is not offered. */
class ReportsOnStreamTest {
  @TempDir
  Path tmp;

  @Test
  void reportsOnTheStreamAreStoredOnceAndAMalformedOneIsSetAside() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-s", "U-S");
      String host = a.enrollment().hostId;
      HostSnapshot ok = TestController.snapshot("mac-s", "0.32.15", "M4");
      ReportSpool spool = new ReportSpool(a.spoolDir(), 100);
      spool.append(TestController.report(host, 1, ok));
      spool.append(TestController.report(
          host,
          2,
          ok.toBuilder()
              .setOllama(ok.getOllama().toBuilder()
                  .addModels(ModelInfo.newBuilder().setName("m").setDigest("XYZ")))
              .build()));
      spool.append(TestController.report(host, 3, ok));

      ControllerLink channel = ControllerLink.open(c.target(), c.caPem(), false);
      var creds = new AgentCalls(channel, a.nodeKey());
      ControlStream stream = new ControlStream(
          creds, host, "test", () -> 0, () -> {}, (work, reply) -> {}, quickBackoff());
      Thread streamThread = new Thread(stream, "test-stream");
      streamThread.start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(stream::connected);
        StreamReportTransport transport =
            new StreamReportTransport(stream, ReportTransport.unary(creds));
        ReportSender sender =
            new ReportSender(spool, transport, quickBackoff(), Duration.ofSeconds(5));
        Thread senderThread = new Thread(sender, "test-sender");
        senderThread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.size() == 0);
        sender.stop();
        senderThread.join(5000);

        assertThat(c.server().reports().sequences(host)).containsExactly(1L, 3L);
        // what is stored is the agent's own encoding of the snapshot (SnapshotSlice): it reads back
        // whole
        TestController.CliResult shown = c.cli("host", "mac-s", "--json");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Mac16,11").contains("http://127.0.0.1:11434");
        assertThat(transport.deliveredOnStream()).isEqualTo(2);
        assertThat(transport.deliveredByCall()).isZero();
        Path rejected = a.spoolDir().resolve("rejected").resolve(String.format("%020d.report", 2));
        assertThat(Files.readString(rejected.resolveSibling(rejected.getFileName() + ".reason")))
            .contains("INVALID_ARGUMENT")
            .contains("digest");

        // a retry of a stored report (its first ack lost) is acknowledged as a duplicate and stores
        // nothing
        ReportAck again = stream
            .sendReport(TestController.report(host, 3, ok))
            .orElseThrow()
            .get(10, TimeUnit.SECONDS);
        assertThat(again.getOutcome()).isEqualTo(ReportAck.Outcome.DUPLICATE);
        assertThat(c.server().reports().sequences(host)).containsExactly(1L, 3L);
      } finally {
        stream.stop();
        streamThread.interrupt();
        channel.close();
      }
    }
  }

  @Test
  void aReportBeforeTheHelloIsRefusedAndAnotherHostsReportIsNotStored() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U-A");
      AgentState b = c.enroll(tmp.resolve("b"), "mac-b", "U-B");
      String hostA = a.enrollment().hostId;
      HostSnapshot ok = TestController.snapshot("mac-a", "0.32.15", "M4");
      ManagedChannel channel = AgentChannels.open(c.target(), c.caPem());
      LinkedBlockingQueue<ControllerMessage> received = new LinkedBlockingQueue<>();
      try {
        StreamObserver<AgentMessage> out = AgentServiceGrpc.newStub(channel)
            .withCallCredentials(AgentChannels.nodeKey(a.nodeKey()))
            .connect(collectInto(received));
        out.onNext(AgentMessage.newBuilder()
            .setReport(TestController.report(hostA, 1, ok))
            .build());
        ControllerMessage first = received.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.getReportRefused().getCode())
            .isEqualTo(Status.Code.FAILED_PRECONDITION.value());

        out.onNext(AgentMessage.newBuilder()
            .setHello(AgentHello.newBuilder().setHostId(hostA))
            .build());
        assertThat(received.poll(10, TimeUnit.SECONDS).getHello().getReportsOnStream())
            .isTrue();
        // a stream authenticated as mac-a cannot carry mac-b's reports
        out.onNext(AgentMessage.newBuilder()
            .setReport(TestController.report(b.enrollment().hostId, 1, ok))
            .build());
        ControllerMessage refused = received.poll(10, TimeUnit.SECONDS);
        assertThat(refused.getReportRefused().getCode()).isNotEqualTo(Status.Code.OK.value());
        out.onNext(AgentMessage.newBuilder()
            .setReport(TestController.report(hostA, 1, ok))
            .build());
        assertThat(received.poll(10, TimeUnit.SECONDS).getReportAck().getOutcome())
            .isEqualTo(ReportAck.Outcome.STORED);
        out.onCompleted();
        assertThat(c.server().reports().count()).isEqualTo(1);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** A controller from before reports on the stream: it never says hello, so every report goes by a call. */
  @Test
  void aControllerThatDoesNotOfferTheStreamGetsReportCalls() throws Exception {
    List<Long> byCall = new CopyOnWriteArrayList<>();
    Server older = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
            new java.net.InetSocketAddress("127.0.0.1", 0))
        .addService(new AgentServiceGrpc.AgentServiceImplBase() {
          @Override
          public void report(ReportRequest req, StreamObserver<ReportAck> out) {
            byCall.add(req.getSeq());
            out.onNext(ReportAck.newBuilder()
                .setSeq(req.getSeq())
                .setOutcome(ReportAck.Outcome.STORED)
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
                      .setPing(Ping.newBuilder().setNonce(1))
                      .build());
                }
              }

              @Override
              public void onError(Throwable t) {
                // the agent went away
              }

              @Override
              public void onCompleted() {
                out.onCompleted();
              }
            };
          }
        })
        .build()
        .start();
    ControllerLink channel = ControllerLink.open("127.0.0.1:" + older.getPort(), null, true);
    ControlStream stream = new ControlStream(
        new AgentCalls(channel, "key"),
        "host-1",
        "test",
        () -> 0,
        () -> {},
        (work, reply) -> {},
        quickBackoff());
    Thread streamThread = new Thread(stream, "test-stream");
    streamThread.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(stream::connected);
      ReportSpool spool = new ReportSpool(tmp.resolve("spool"), 100);
      HostSnapshot ok = TestController.snapshot("mac-o", "0.32.15", "M4");
      for (long seq = 1; seq <= 3; seq++) {
        spool.append(TestController.report("host-1", seq, ok));
      }
      StreamReportTransport transport =
          new StreamReportTransport(stream, ReportTransport.unary(new AgentCalls(channel, "key")));
      ReportSender sender =
          new ReportSender(spool, transport, quickBackoff(), Duration.ofSeconds(5));
      Thread senderThread = new Thread(sender, "test-sender");
      senderThread.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> spool.size() == 0);
      sender.stop();
      senderThread.join(5000);
      assertThat(byCall).containsExactly(1L, 2L, 3L);
      assertThat(transport.deliveredByCall()).isEqualTo(3);
      assertThat(transport.deliveredOnStream()).isZero();
    } finally {
      stream.stop();
      streamThread.interrupt();
      channel.close();
      older.shutdownNow();
    }
  }

  private static Backoff quickBackoff() {
    return new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), new SplittableRandom(5));
  }

  private static StreamObserver<ControllerMessage> collectInto(
      LinkedBlockingQueue<ControllerMessage> q) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage m) {
        if (!m.hasPing()) {
          q.add(m);
        }
      }

      @Override
      public void onError(Throwable t) {
        // the assertions above notice what is missing
      }

      @Override
      public void onCompleted() {
        // as above
      }
    };
  }
}
