package io.macfleet.agent.link;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.Pong;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the long-lived Connect stream open (agents dial out; the controller never dials in) and
 * answers what the controller pushes, and carries reports when the controller offers it. Reconnects with
 * jittered backoff.
 */
public final class ControlStream implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ControlStream.class);

  private final AgentServiceGrpc.AgentServiceStub stub;
  private final String hostId;
  private final String agentVersion;
  private final LongSupplier lastSeq;
  private final Runnable reportNow;
  private final java.util.function.BiConsumer<
          io.macfleet.proto.v1.RunProbe, java.util.function.Consumer<AgentMessage>>
      runProbe;
  private final Backoff backoff;
  private volatile boolean running = true;
  private volatile boolean connected;
  private volatile Runnable onConnected = () -> {};
  private volatile Runnable beforeReconnect = () -> {};
  private volatile java.util.function.BiConsumer<String, String> cancelProbe = (run, why) -> {};

  private volatile boolean everConnected;
  // set while the controller accepts reports on the current stream (its hello said so)
  private volatile StreamObserver<AgentMessage> reportsTo;
  private final Map<Long, CompletableFuture<ReportAck>> awaitingAck = new ConcurrentHashMap<>();

  public ControlStream(
      AgentServiceGrpc.AgentServiceStub stub,
      String hostId,
      String agentVersion,
      LongSupplier lastSeq,
      Runnable reportNow,
      java.util.function.BiConsumer<
              io.macfleet.proto.v1.RunProbe, java.util.function.Consumer<AgentMessage>>
          runProbe,
      Backoff backoff) {
    this.runProbe = runProbe;
    this.stub = stub;
    this.hostId = hostId;
    this.agentVersion = agentVersion;
    this.lastSeq = lastSeq;
    this.reportNow = reportNow;
    this.backoff = backoff;
  }

  public boolean connected() {
    return connected;
  }

  public void stop() {
    running = false;
  }

  /**
   * Called before each reconnect attempt. The agent resets its channel's own connect backoff here: grpc-java's
   * grows to two minutes and fails calls fast meanwhile, which made an agent's first delivery after a two-minute
   * outage come over a minute after the controller was back; this stream's {@link Backoff} is the one that counts.
   */
  public void beforeReconnect(Runnable action) {
    this.beforeReconnect = action;
  }

  /** Called when the controller cancels a probe run it pushed (run id, reason). */
  public void onCancelProbe(java.util.function.BiConsumer<String, String> action) {
    this.cancelProbe = action;
  }

  /** Called each time a stream is accepted by a controller (its hello arrived): the controller is reachable. */
  public void onConnected(Runnable action) {
    this.onConnected = action;
  }

  /**
   * Sends a report on the stream when the controller accepts reports on it; the future ends with its
   * ReportAck, or a StatusRuntimeException when refused or when the stream breaks first. Empty when the
   * report must go by a Report call instead.
   */
  public Optional<CompletableFuture<ReportAck>> sendReport(ReportRequest report) {
    StreamObserver<AgentMessage> to = reportsTo;
    if (to == null) {
      return Optional.empty();
    }
    CompletableFuture<ReportAck> ack = new CompletableFuture<>();
    awaitingAck.put(report.getSeq(), ack);
    // the stream may have ended between the read above and the put; its end would not have failed
    // this one
    if (reportsTo != to || !send(to, AgentMessage.newBuilder().setReport(report).build())) {
      awaitingAck.remove(report.getSeq());
      return Optional.empty();
    }
    return Optional.of(ack);
  }

  /** Stops waiting for a report's answer (acknowledged, or given up on). */
  void forget(long seq) {
    awaitingAck.remove(seq);
  }

  private void answered(long seq, ReportAck ack, StatusRuntimeException refused) {
    CompletableFuture<ReportAck> f = awaitingAck.remove(seq);
    if (f == null) {
      return; // late: the sender gave up on it and will retry the same seq
    }
    if (ack != null) {
      f.complete(ack);
    } else {
      f.completeExceptionally(refused);
    }
  }

  private void streamEnded() {
    connected = false;
    reportsTo = null;
    for (Long seq : awaitingAck.keySet()) {
      answered(
          seq,
          null,
          Status.UNAVAILABLE
              .withDescription("control stream closed before the report was " + "acknowledged")
              .asRuntimeException());
    }
  }

  @Override
  public void run() {
    while (running) {
      CountDownLatch closed = new CountDownLatch(1);
      StreamObserver<AgentMessage>[] toController = new StreamObserver[1];
      toController[0] = stub.connect(new StreamObserver<>() {
        @Override
        public void onNext(ControllerMessage msg) {
          connected = true;
          backoff.reset();
          switch (msg.getBodyCase()) {
            case PING ->
              send(
                  toController[0],
                  AgentMessage.newBuilder()
                      .setPong(Pong.newBuilder().setNonce(msg.getPing().getNonce()))
                      .build());
            case HELLO -> {
              if (msg.getHello().getReportsOnStream()) {
                reportsTo = toController[0];
              }
              if (everConnected) {
                log.info("control stream to the controller connected again");
              }
              everConnected = true;
              onConnected.run();
            }
            case REPORT_ACK -> answered(msg.getReportAck().getSeq(), msg.getReportAck(), null);
            case REPORT_REFUSED ->
              answered(
                  msg.getReportRefused().getSeq(),
                  null,
                  Status.fromCodeValue(msg.getReportRefused().getCode())
                      .withDescription(msg.getReportRefused().getDescription())
                      .asRuntimeException());
            case REPORT_NOW -> reportNow.run();
            case RUN_PROBE -> {
              StreamObserver<AgentMessage> to = toController[0];
              runProbe.accept(msg.getRunProbe(), m -> send(to, m));
            }
            case CANCEL_PROBE ->
              cancelProbe.accept(
                  msg.getCancelProbe().getRunId(), msg.getCancelProbe().getReason());
            default -> log.debug("ignoring controller message {}", msg.getBodyCase());
          }
        }

        @Override
        public void onError(Throwable t) {
          streamEnded();
          log.debug("control stream closed: {}", t.toString());
          closed.countDown();
        }

        @Override
        public void onCompleted() {
          streamEnded();
          closed.countDown();
        }
      });
      send(
          toController[0],
          AgentMessage.newBuilder()
              .setHello(AgentHello.newBuilder()
                  .setHostId(hostId)
                  .setAgentVersion(agentVersion)
                  .setLastSeq(lastSeq.getAsLong())
                  .setAgentTime(now()))
              .build());
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        toController[0].onError(io.grpc.Status.CANCELLED.asRuntimeException());
        return;
      }
      if (running) {
        sleep(backoff.next());
        beforeReconnect.run();
      }
    }
  }

  private static com.google.protobuf.Timestamp now() {
    java.time.Instant t = java.time.Instant.now();
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(t.getEpochSecond())
        .setNanos(t.getNano())
        .build();
  }

  private static synchronized boolean send(StreamObserver<AgentMessage> obs, AgentMessage m) {
    try {
      obs.onNext(m);
      return true;
    } catch (RuntimeException e) {
      log.debug("could not send on control stream: {}", e.toString());
      return false;
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
