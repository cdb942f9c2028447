package io.macfleet.agent.link;

import io.macfleet.agent.link.h2.CallException;
import io.macfleet.agent.link.h2.CallListener;
import io.macfleet.agent.link.h2.CallSender;
import io.macfleet.agent.link.h2.CallStatus;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
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

  private final AgentCalls calls;
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
  private volatile java.util.function.BiConsumer<String, String> cancelProbe = (run, why) -> {};

  private volatile boolean everConnected;
  // set while the controller accepts reports on the current stream (its hello said so)
  private volatile CallSender<AgentMessage> reportsTo;
  private final Map<Long, CompletableFuture<ReportAck>> awaitingAck = new ConcurrentHashMap<>();

  public ControlStream(
      AgentCalls calls,
      String hostId,
      String agentVersion,
      LongSupplier lastSeq,
      Runnable reportNow,
      java.util.function.BiConsumer<
              io.macfleet.proto.v1.RunProbe, java.util.function.Consumer<AgentMessage>>
          runProbe,
      Backoff backoff) {
    this.runProbe = runProbe;
    this.calls = calls;
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
    CallSender<AgentMessage> to = reportsTo;
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

  private void answered(long seq, ReportAck ack, CallException refused) {
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
          CallStatus.Code.UNAVAILABLE
              .status("control stream closed before the report was acknowledged")
              .asException());
    }
  }

  @Override
  public void run() {
    while (running) {
      CountDownLatch closed = new CountDownLatch(1);
      CallSender<AgentMessage>[] toController = new CallSender[1];
      CallSender<AgentMessage> opened;
      try {
        opened = calls.connect(new CallListener<>() {
          @Override
          public void onMessage(ControllerMessage msg) {
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
                    CallStatus.Code.of(msg.getReportRefused().getCode())
                        .status(msg.getReportRefused().getDescription())
                        .asException());
              case REPORT_NOW -> reportNow.run();
              case RUN_PROBE -> {
                CallSender<AgentMessage> to = toController[0];
                runProbe.accept(msg.getRunProbe(), m -> send(to, m));
              }
              case CANCEL_PROBE ->
                cancelProbe.accept(
                    msg.getCancelProbe().getRunId(), msg.getCancelProbe().getReason());
              default -> log.debug("ignoring controller message {}", msg.getBodyCase());
            }
          }

          @Override
          public void onClose(CallStatus status) {
            streamEnded();
            log.debug("control stream closed: {}", status);
            closed.countDown();
          }
        });
      } catch (CallException e) { // no connection: wait, and try again
        log.debug("control stream not opened: {}", e.status());
        if (running) {
          sleep(backoff.next());
        }
        continue;
      }
      toController[0] = opened;
      send(
          toController[0],
          AgentMessage.newBuilder()
              .setHello(AgentHello.newBuilder()
                  .setHostId(hostId)
                  .setAgentVersion(agentVersion)
                  .setLastSeq(lastSeq.getAsLong())
                  .setAgentTime(io.macfleet.shared.ProtoTime.of(java.time.Instant.now())))
              .build());
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        toController[0].cancel("the agent is stopping");
        return;
      }
      if (running) {
        sleep(backoff.next());
      }
    }
  }

  private static synchronized boolean send(CallSender<AgentMessage> obs, AgentMessage m) {
    try {
      obs.send(m);
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
