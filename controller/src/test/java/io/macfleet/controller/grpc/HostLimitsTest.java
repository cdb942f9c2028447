package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ReportSender;
import io.macfleet.agent.link.ReportSpool;
import io.macfleet.agent.link.ReportTransport;
import io.macfleet.agent.link.SequenceCounter;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.controller.AgentChannels;
import io.macfleet.controller.TestController;
import io.macfleet.controller.fleet.ReportLimits;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.ReportAck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host cannot freeze itself or fill the disk: a seq far ahead is not stored and the genuine agent resynchronises
 * whichever way its numbers parted; oversized reports, report floods and extra streams are refused for that host
 * alone, and an agent that is told to slow down loses nothing. All against a real controller over real gRPC.
 */
class HostLimitsTest {
  @TempDir
  Path tmp;

  @Test
  void aSeqFarAheadIsNotStoredAndTheGenuineAgentResynchronisesBothWays() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-seq", "UUID-SEQ");
      String host = a.enrollment().hostId;
      HostSnapshot snap = TestController.snapshot("mac-seq", "0.32.15", "M4");
      ReportSpool spool = new ReportSpool(a.spoolDir(), 100);
      SequenceCounter counter = new SequenceCounter(tmp.resolve("a-seq"), 0);
      var hostile = c.agentStub(a.nodeKey()); // another process holding this host's key
      ControllerLink channel = ControllerLink.open(c.target(), c.caPem(), false);
      ReportSender sender = new ReportSender(
              spool,
              ReportTransport.unary(new AgentCalls(channel, a.nodeKey())),
              quick(),
              Duration.ofSeconds(5))
          .numberedBy(counter);
      Thread t = new Thread(sender, "test-sender");
      t.start();
      try {
        for (int i = 0; i < 3; i++) {
          spool.append(TestController.report(host, counter.next(), snap));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.size() == 0);

        // a seq a million ahead: acknowledged as out of sequence with what the controller holds,
        // and not stored
        ReportAck ahead = hostile.report(TestController.report(host, 1_000_002, snap));
        assertThat(ahead.getOutcome()).isEqualTo(ReportAck.Outcome.OUT_OF_SEQUENCE);
        assertThat(ahead.getHeldSeq()).isEqualTo(3);
        // one within the bound is stored: the host's own key may move its numbers that far
        long within = 3 + ReportRepository.MAX_SEQ_JUMP;
        assertThat(hostile.report(TestController.report(host, within, snap)).getOutcome())
            .isEqualTo(ReportAck.Outcome.STORED);

        // the genuine agent's next reports are duplicates by number; told the held seq, it moves
        // past it
        spool.append(TestController.report(host, counter.next(), snap));
        spool.append(TestController.report(host, counter.next(), snap));
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.size() == 0);
        assertThat(c.server().reports().sequences(host))
            .containsExactly(1L, 2L, 3L, within, within + 1, within + 2);
        assertThat(counter.last()).isEqualTo(within + 2);

        // and the other way: a damaged counter far ahead of the controller's numbers is brought
        // back to them
        counter.resetTo(within + 10 * ReportRepository.MAX_SEQ_JUMP);
        spool.append(TestController.report(host, counter.next(), snap));
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.size() == 0);
        assertThat(c.server().reports().sequences(host)).endsWith(within + 2, within + 3);
        assertThat(counter.last()).isEqualTo(within + 3);
        assertThat(spool.lastAcked()).isEqualTo(within + 3);
      } finally {
        sender.stop();
        t.join(5000);
        channel.close();
      }
    }
  }

  @Test
  void oversizedReportsAreRefusedAndTheDatabaseDoesNotGrow() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState fat = c.enroll(tmp.resolve("fat"), "mac-fat", "UUID-FAT");
      AgentState fine = c.enroll(tmp.resolve("fine"), "mac-fine", "UUID-FINE");
      // valid in every field, but 1,990 models (the validator takes 2,000) make it larger than the
      // limit
      HostSnapshot.Builder big = TestController.snapshot("mac-fat", "0.32.15", "M4").toBuilder();
      for (int i = 0; i < 1990; i++) {
        big.getOllamaBuilder()
            .addModels(ModelInfo.newBuilder()
                .setName("registry.example.com/team/model-" + i + ":latest")
                .setDigest(String.format("%064x", i))
                .setFormat("gguf")
                .setFamily("qwen3")
                .setQuantization("Q4_K_M"));
      }
      HostSnapshot huge = big.build();
      assertThat(huge.getSerializedSize())
          .isGreaterThan(ReportLimits.Settings.defaults().maxReportBytes());
      var fatStub = c.agentStub(fat.nodeKey());
      var fineStub = c.agentStub(fine.nodeKey());
      long before = Files.size(c.dataDir.resolve("macfleet.mv.db"));
      String why = null;
      for (int i = 1; i <= 98; i++) {
        try {
          fatStub
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .report(TestController.report(fat.enrollment().hostId, i, huge));
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          why = e.getStatus().getDescription();
        }
        fineStub
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .report(TestController.report(
                fine.enrollment().hostId, i, TestController.snapshot("mac-fine", "0.32.15", "M4")));
      }
      assertThat(why)
          .contains("bytes")
          .contains(Integer.toString(256 * 1024))
          .contains("--max-report-size");
      assertThat(c.server().reports().sequences(fat.enrollment().hostId)).isEmpty();
      assertThat(c.server().reports().sequences(fine.enrollment().hostId)).hasSize(98);
      long after = Files.size(c.dataDir.resolve("macfleet.mv.db"));
      // 98 refused reports of 1.9 MB grew it by 1.2 GB before; now only the other host's 98 small
      // ones are written
      assertThat(after - before).isLessThan(20L << 20);
    }
  }

  @Test
  void aFloodingHostIsSlowedAloneAndItsAgentLosesNothing() throws Exception {
    var limits = new ReportLimits.Settings(256 * 1024, 5, 20, 1 << 20, 1 << 24);
    try (TestController c = new TestController(tmp.resolve("ctl"), cfg -> cfg.withLimits(limits))) {
      AgentState flood = c.enroll(tmp.resolve("flood"), "mac-flood", "UUID-FLOOD");
      AgentState calm = c.enroll(tmp.resolve("calm"), "mac-calm", "UUID-CALM");
      String floodHost = flood.enrollment().hostId;
      var floodStub = c.agentStub(null).withCallCredentials(AgentChannels.nodeKey(flood.nodeKey()));
      HostSnapshot snap = TestController.snapshot("mac-flood", "0.32.15", "M4");
      AtomicInteger slowedDown = new AtomicInteger();
      AtomicInteger stored = new AtomicInteger();
      long started = System.nanoTime();
      CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
        for (int i = 1; i <= 400; i++) {
          try {
            floodStub
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .report(TestController.report(floodHost, i, snap));
            stored.incrementAndGet();
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
              slowedDown.incrementAndGet();
            }
          }
        }
      });
      var calmStub = c.agentStub(calm.nodeKey());
      for (int i = 1; i <= 20; i++) {
        calmStub
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .report(TestController.report(
                calm.enrollment().hostId, i, TestController.snapshot("mac-calm", "0.32.15", "M4")));
      }
      flooding.get(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(c.server().reports().sequences(calm.enrollment().hostId)).hasSize(20);
      assertThat(slowedDown.get()).isPositive();
      // the bucket's promise: no more than its burst plus its rate over the time taken
      assertThat(stored.get()).isLessThanOrEqualTo((int) (20 + 5 * seconds) + 1);

      // a real agent told to slow down keeps its reports and delivers every one
      AgentState agent = c.enroll(tmp.resolve("agent"), "mac-drain", "UUID-DRAIN");
      ReportSpool spool = new ReportSpool(agent.spoolDir(), 1000);
      for (int i = 1; i <= 40; i++) {
        spool.append(TestController.report(agent.enrollment().hostId, i, snap));
      }
      ControllerLink channel = ControllerLink.open(c.target(), c.caPem(), false);
      ReportSender sender = new ReportSender(
          spool,
          ReportTransport.unary(new AgentCalls(channel, agent.nodeKey())),
          quick(),
          Duration.ofSeconds(5));
      Thread t = new Thread(sender, "test-sender");
      t.start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> spool.size() == 0);
      } finally {
        sender.stop();
        t.join(5000);
        channel.close();
      }
      assertThat(c.server().reports().sequences(agent.enrollment().hostId)).hasSize(40);
      assertThat(scrape(c))
          .containsPattern("macfleet_reports_refused_total\\{reason=\"rate_limited\"\\} [1-9]");
    }
  }

  @Test
  void aHostHasAtMostTwoStreamsAndANewHelloEndsTheOlderOne() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-streams", "UUID-STREAMS");
      ManagedChannel channel = AgentChannels.open(c.target(), c.caPem());
      var stub =
          AgentServiceGrpc.newStub(channel).withCallCredentials(AgentChannels.nodeKey(a.nodeKey()));
      try {
        Watched first = new Watched();
        Watched second = new Watched();
        Watched third = new Watched();
        var firstOut = stub.connect(first);
        firstOut.onNext(hello(a));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> first.messages.get() > 0); // the controller's hello
        var secondOut = stub.connect(second);
        var thirdOut = stub.connect(third);
        // the two reach the controller in either order: whichever comes third is refused
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> second.ended.isDone() || third.ended.isDone());
        Watched refused = second.ended.isDone() ? second : third;
        var survivorOut = refused == second ? thirdOut : secondOut;
        Watched survivor = refused == second ? third : second;
        assertThat(refused.ended.get()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(first.ended).isNotDone();
        assertThat(survivor.ended).isNotDone();

        // the survivor says hello: the first is ended by the controller, and a slot is free again
        survivorOut.onNext(hello(a));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.ended.isDone());
        Watched fourth = new Watched();
        stub.connect(fourth).onNext(hello(a));
        await().atMost(Duration.ofSeconds(10)).until(() -> fourth.messages.get() > 0);
        assertThat(fourth.ended).isNotDone();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void theDatabaseSizeIsAMetric() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      var m = java.util.regex.Pattern.compile("(?m)^macfleet_database_size_bytes (\\S+)")
          .matcher(scrape(c));
      assertThat(m.find()).isTrue();
      assertThat(Double.parseDouble(m.group(1)))
          .isEqualTo(
              (double) Files.size(c.dataDir.resolve("macfleet.mv.db")),
              org.assertj.core.data.Offset.offset(4096.0 * 1024));
    }
  }

  private static AgentMessage hello(AgentState a) throws java.io.IOException {
    return AgentMessage.newBuilder()
        .setHello(AgentHello.newBuilder().setHostId(a.enrollment().hostId))
        .build();
  }

  /** A stream's messages from the controller and how it ended. */
  private static final class Watched implements StreamObserver<ControllerMessage> {
    final AtomicInteger messages = new AtomicInteger();
    final CompletableFuture<Status.Code> ended = new CompletableFuture<>();

    @Override
    public void onNext(ControllerMessage m) {
      messages.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.Code.OK);
    }
  }

  static String scrape(TestController c) throws Exception {
    int port = c.server().ops().orElseThrow().port();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Backoff quick() {
    return new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), new SplittableRandom(7));
  }
}
