package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import io.macfleet.proto.v1.ControllerMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which streams the pinger pings: only those whose agent has been silent, and each once per silent spell. */
class AgentSessionsTest {
  /** The sending end of a stream, keeping what was sent on it (the pinger only ever sends). */
  private static final class SentMessages extends ServerCallStreamObserver<ControllerMessage> {
    final List<ControllerMessage> sent = new ArrayList<>();

    @Override
    public void onNext(ControllerMessage m) {
      sent.add(m);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable r) {}

    @Override
    public void setCompression(String c) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable r) {}

    @Override
    public void request(int n) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    long pings() {
      return sent.stream().filter(ControllerMessage::hasPing).count();
    }
  }

  @Test
  void onlyStreamsSilentForThePingIntervalArePingedAndEachOnce() {
    try (AgentSessions sessions = new AgentSessions()) {
      SentMessages quiet = new SentMessages();
      SentMessages busy = new SentMessages();
      sessions.open("quiet", quiet);
      sessions.open("busy", busy);
      long start = System.nanoTime();
      assertThat(sessions.pingSilent(start)).isZero(); // both just opened

      long later = start + AgentSessions.PING_AFTER_NANOS + 1_000_000_000L;
      sessions.heard(
          "busy", later - 1_000_000L); // a report on the busy stream just before the pass
      assertThat(sessions.pingSilent(later)).isEqualTo(1);
      assertThat(quiet.pings()).isEqualTo(1);
      assertThat(busy.pings()).isZero();

      // pinged once for that silent spell: the next pass leaves it alone, one more spell later it
      // is pinged again
      assertThat(sessions.pingSilent(later + 1)).isZero();
      assertThat(sessions.pingSilent(later + AgentSessions.PING_AFTER_NANOS))
          .isEqualTo(2); // both silent now
      assertThat(quiet.pings()).isEqualTo(2);
      assertThat(busy.pings()).isEqualTo(1);
    }
  }

  @Test
  void aClosedStreamIsNotPingedAndAReplacedOneLeavesItsSuccessor() {
    try (AgentSessions sessions = new AgentSessions()) {
      SentMessages old = new SentMessages();
      SentMessages current = new SentMessages();
      sessions.open("h", old);
      sessions.open("h", current); // the agent reconnected
      sessions.close("h", old); // the old stream's cancel arrives late: the new one stays
      assertThat(sessions.connected("h")).isTrue();
      long later = System.nanoTime() + AgentSessions.PING_AFTER_NANOS + 1;
      assertThat(sessions.pingSilent(later)).isEqualTo(1);
      assertThat(current.pings()).isEqualTo(1);
      assertThat(old.pings()).isZero();
      sessions.close("h", current);
      assertThat(sessions.connected("h")).isFalse();
      assertThat(sessions.pingSilent(later + AgentSessions.PING_AFTER_NANOS)).isZero();
    }
  }
}
