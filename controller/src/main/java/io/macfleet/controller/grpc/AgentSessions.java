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
  private final Map<String, ServerCallStreamObserver<ControllerMessage>> sessions = new ConcurrentHashMap<>();
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
    pinger.scheduleWithFixedDelay(this::pingAll, 30, 30, TimeUnit.SECONDS);
  }

  void open(String hostId, ServerCallStreamObserver<ControllerMessage> stream) {
    var previous = sessions.put(hostId, stream);
    if (previous != null && previous != stream) {
      synchronized (previous) {
        try {
          previous.onCompleted(); // the agent reconnected; the old stream is dead weight
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    }
    try {
      listener.opened(hostId);
    } catch (RuntimeException e) {
      // the directory is advice for other controllers; this stream works without it
    }
    // the hello tells the agent its stream is established and that reports may travel on it
    reply(stream, ControllerMessage.newBuilder().setHello(ControllerHello.newBuilder().setReportsOnStream(true)).build());
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

  void close(String hostId, ServerCallStreamObserver<ControllerMessage> stream) {
    if (sessions.remove(hostId, stream)) {
      try {
        listener.closed(hostId);
      } catch (RuntimeException e) {
        // as above
      }
    }
  }

  /** Ends a host's stream, e.g. when it is revoked; its agent's reconnects are then refused. */
  public void disconnect(String hostId) {
    var s = sessions.remove(hostId);
    if (s != null) {
      synchronized (s) {
        try {
          s.onError(io.grpc.Status.UNAUTHENTICATED.withDescription("host revoked").asRuntimeException());
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

  /** Asks a connected agent to report now; false when it has no stream here. */
  public boolean requestReport(String hostId) {
    return send(hostId, ControllerMessage.newBuilder().setReportNow(ReportNow.getDefaultInstance()).build());
  }

  private boolean send(String hostId, ControllerMessage m) {
    var s = sessions.get(hostId);
    if (s == null) {
      return false;
    }
    if (!reply(s, m)) {
      sessions.remove(hostId, s);
      return false;
    }
    return true;
  }

  private void pingAll() {
    for (String host : sessions.keySet()) {
      send(host, ControllerMessage.newBuilder().setPing(Ping.newBuilder().setNonce(nonce.incrementAndGet())).build());
    }
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    sessions.values().forEach(s -> {
      try {
        s.onCompleted();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    });
    sessions.clear();
  }
}
