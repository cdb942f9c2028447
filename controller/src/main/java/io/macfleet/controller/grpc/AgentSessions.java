package io.macfleet.controller.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.macfleet.proto.v1.ControllerHello;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.Ping;
import io.macfleet.proto.v1.ReportNow;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The agents connected to this controller over Connect, by host id, so work can be pushed to them. */
public final class AgentSessions implements AutoCloseable {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(AgentSessions.class);
  /**
   * A stream that has carried nothing from its agent for this long is pinged, so a dead connection is found by a
   * failing write. A stream that carries reports proves itself: pinging every stream every 30 s sent 10,000
   * messages in one burst at 10,000 agents, and the reports arriving meanwhile waited behind it.
   */
  static final long PING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** One agent's stream here, and when its agent last sent anything on it. */
  private static final class Session {
    final ServerCallStreamObserver<ControllerMessage> stream;
    volatile long heardNanos;

    Session(ServerCallStreamObserver<ControllerMessage> stream, long now) {
      this.stream = stream;
      this.heardNanos = now;
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong nonce = new AtomicLong();
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "agent-pinger");
    t.setDaemon(true);
    return t;
  });

  /** Told when a host's stream opens here and when it ends (the stream directory records it). */
  public interface Listener {
    void opened(String hostId);

    void closed(String hostId);
  }

  private volatile Listener listener = new Listener() {
    @Override
    public void opened(String hostId) {
      // alone: nothing to tell
    }

    @Override
    public void closed(String hostId) {
      // alone: nothing to tell
    }
  };

  public void listener(Listener l) {
    this.listener = l;
  }

  public AgentSessions() {
    pinger.scheduleWithFixedDelay(() -> pingSilent(System.nanoTime()), 10, 10, TimeUnit.SECONDS);
  }

  void open(String hostId, ServerCallStreamObserver<ControllerMessage> stream) {
    Session previous = sessions.put(hostId, new Session(stream, System.nanoTime()));
    if (previous != null && previous.stream != stream) {
      synchronized (previous.stream) {
        try {
          previous.stream.onCompleted(); // the agent reconnected; the old stream is dead weight
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    }
    try {
      listener.opened(hostId);
    } catch (RuntimeException e) {
      // the directory is advice for other controllers; this stream works without it, but say so
      log.warn(
          "could not record host {}'s stream in the stream directory; other controllers will not route to it "
              + "until its next reconnect",
          hostId,
          e);
    }
    // the hello tells the agent its stream is established and that reports may travel on it
    reply(
        stream,
        ControllerMessage.newBuilder()
            .setHello(ControllerHello.newBuilder().setReportsOnStream(true))
            .build());
  }

  /**
   * Sends on one stream, whichever thread calls (acks come from the writer, pings from the pinger);
   * false when the stream has gone.
   */
  static boolean reply(ServerCallStreamObserver<ControllerMessage> stream, ControllerMessage m) {
    synchronized (stream) {
      try {
        if (stream.isCancelled()) {
          return false;
        }
        stream.onNext(m);
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /** The host's agent sent something on its stream: it needs no ping for a while. */
  void heard(String hostId) {
    heard(hostId, System.nanoTime());
  }

  void heard(String hostId, long now) {
    Session s = sessions.get(hostId);
    if (s != null) {
      s.heardNanos = now; // a primitive field: no write barrier work for the collector
    }
  }

  void close(String hostId, ServerCallStreamObserver<ControllerMessage> stream) {
    boolean[] removed = new boolean[1];
    sessions.computeIfPresent(hostId, (id, s) -> {
      removed[0] = s.stream == stream;
      return removed[0] ? null : s;
    });
    if (removed[0]) {
      try {
        listener.closed(hostId);
      } catch (RuntimeException e) {
        log.warn(
            "could not remove host {}'s stream from the stream directory; it expires with this controller's "
                + "heartbeat",
            hostId,
            e);
      }
    }
  }

  /** Ends a host's stream, e.g. when it is revoked; its agent's reconnects are then refused. */
  public void disconnect(String hostId) {
    disconnect(hostId, "host revoked");
  }

  /** Ends the host's stream here, telling the agent why (UNAUTHENTICATED: its key no longer counts). */
  public void disconnect(String hostId, String why) {
    Session session = sessions.remove(hostId);
    if (session != null) {
      var s = session.stream;
      synchronized (s) {
        try {
          s.onError(io.grpc.Status.UNAUTHENTICATED.withDescription(why).asRuntimeException());
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    }
  }

  public boolean connected(String hostId) {
    return sessions.containsKey(hostId);
  }

  public Set<String> connectedHosts() {
    return Set.copyOf(sessions.keySet());
  }

  /** Pushes a probe run to a connected agent; false when it has no stream here. */
  public boolean sendProbe(String hostId, io.macfleet.proto.v1.RunProbe work) {
    return send(hostId, ControllerMessage.newBuilder().setRunProbe(work).build());
  }

  /** Asks a connected agent to stop a probe run the controller gave up on; false when it has no stream here. */
  public boolean cancelProbe(String hostId, String runId, String reason) {
    return send(
        hostId,
        ControllerMessage.newBuilder()
            .setCancelProbe(
                io.macfleet.proto.v1.CancelProbe.newBuilder().setRunId(runId).setReason(reason))
            .build());
  }

  /** Asks a connected agent to report now; false when it has no stream here. */
  public boolean requestReport(String hostId) {
    return send(
        hostId,
        ControllerMessage.newBuilder()
            .setReportNow(ReportNow.getDefaultInstance())
            .build());
  }

  private boolean send(String hostId, ControllerMessage m) {
    Session s = sessions.get(hostId);
    if (s == null) {
      return false;
    }
    if (!reply(s.stream, m)) {
      sessions.remove(hostId, s);
      return false;
    }
    return true;
  }

  /** Pings the streams silent for {@link #PING_AFTER_NANOS} as of {@code now}; returns how many were pinged. */
  int pingSilent(long now) {
    int pinged = 0;
    for (var e : sessions.entrySet()) {
      Session s = e.getValue();
      if (now - s.heardNanos >= PING_AFTER_NANOS) {
        s.heardNanos = now; // the next ping only after another silent spell, not on every pass
        send(
            e.getKey(),
            ControllerMessage.newBuilder()
                .setPing(Ping.newBuilder().setNonce(nonce.incrementAndGet()))
                .build());
        pinged++;
      }
    }
    return pinged;
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    sessions.values().forEach(s -> {
      try {
        s.stream.onCompleted();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    });
    sessions.clear();
  }
}
