package io.macfleet.agent.link;

import io.grpc.stub.StreamObserver;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.Pong;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the long-lived Connect stream open (agents dial out; the controller never dials in) and
 * answers what the controller pushes. Reconnects with jittered backoff.
 */
public final class ControlStream implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ControlStream.class);

  private final AgentServiceGrpc.AgentServiceStub stub;
  private final String hostId;
  private final String agentVersion;
  private final LongSupplier lastSeq;
  private final Runnable reportNow;
  private final java.util.function.BiConsumer<io.macfleet.proto.v1.RunProbe,
      java.util.function.Consumer<AgentMessage>> runProbe;
  private final Backoff backoff;
  private volatile boolean running = true;
  private volatile boolean connected;

  public ControlStream(AgentServiceGrpc.AgentServiceStub stub, String hostId, String agentVersion,
      LongSupplier lastSeq, Runnable reportNow,
      java.util.function.BiConsumer<io.macfleet.proto.v1.RunProbe, java.util.function.Consumer<AgentMessage>> runProbe,
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
            case PING -> send(toController[0],
                AgentMessage.newBuilder().setPong(Pong.newBuilder().setNonce(msg.getPing().getNonce())).build());
            case REPORT_NOW -> reportNow.run();
            case RUN_PROBE -> {
              StreamObserver<AgentMessage> to = toController[0];
              runProbe.accept(msg.getRunProbe(), m -> send(to, m));
            }
            default -> log.debug("ignoring controller message {}", msg.getBodyCase());
          }
        }

        @Override
        public void onError(Throwable t) {
          connected = false;
          log.debug("control stream closed: {}", t.toString());
          closed.countDown();
        }

        @Override
        public void onCompleted() {
          connected = false;
          closed.countDown();
        }
      });
      send(toController[0], AgentMessage.newBuilder().setHello(AgentHello.newBuilder()
          .setHostId(hostId).setAgentVersion(agentVersion).setLastSeq(lastSeq.getAsLong())).build());
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        toController[0].onError(io.grpc.Status.CANCELLED.asRuntimeException());
        return;
      }
      if (running) {
        sleep(backoff.next());
      }
    }
  }

  private static synchronized void send(StreamObserver<AgentMessage> obs, AgentMessage m) {
    try {
      obs.onNext(m);
    } catch (RuntimeException e) {
      log.debug("could not send on control stream: {}", e.toString());
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
