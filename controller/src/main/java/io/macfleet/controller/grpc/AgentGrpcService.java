package io.macfleet.controller.grpc;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.Enrollment;
import io.macfleet.controller.fleet.EnrollmentService;
import io.macfleet.controller.fleet.IngestQueue;
import io.macfleet.controller.fleet.ReportValidator;
import io.macfleet.controller.store.HostCredential;
import io.macfleet.controller.store.PendingReport;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRefused;
import io.macfleet.proto.v1.ReportRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** Thin handlers for agents: translate, hand off to the fleet services, answer. */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  private final io.macfleet.controller.ops.ControllerMetrics metrics;
  private final EnrollmentService enrollment;
  private final IngestQueue ingest;
  private final AgentSessions sessions;
  private final io.macfleet.controller.fleet.RunService runs;
  private final Clock clock;
  private final io.macfleet.controller.fleet.HostFlags flags;
  private final io.macfleet.controller.fleet.ReportLimits limits;
  /** Connect calls open per host: its stream and at most one more (a reconnect overlapping the old one's end). */
  private final java.util.concurrent.ConcurrentHashMap<
          String, java.util.concurrent.atomic.AtomicInteger>
      openStreams = new java.util.concurrent.ConcurrentHashMap<>();

  static final int MAX_STREAMS_PER_HOST = 2;
  // few threads on purpose: when thousands of agents reconnect at once (a controller restart),
  // their stream
  // bookkeeping queues here instead of taking every database connection away from the report writer
  private final ExecutorService streamWork = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "agent-stream-work");
    t.setDaemon(true);
    return t;
  });

  public AgentGrpcService(
      EnrollmentService enrollment,
      IngestQueue ingest,
      AgentSessions sessions,
      io.macfleet.controller.fleet.RunService runs,
      io.macfleet.controller.fleet.HostFlags flags,
      Clock clock,
      io.macfleet.controller.ops.ControllerMetrics metrics,
      io.macfleet.controller.fleet.ReportLimits limits) {
    this.limits = limits;
    this.flags = flags;
    this.metrics = metrics;
    this.runs = runs;
    this.enrollment = enrollment;
    this.ingest = ingest;
    this.sessions = sessions;
    this.clock = clock;
  }

  @Override
  public void enroll(EnrollRequest req, StreamObserver<EnrollResponse> out) {
    try {
      Enrollment e = enrollment.enroll(
          req.getEnrollmentSecret(),
          req.getHostname(),
          req.getHardwareUuid(),
          req.getCurrentNodeKey(),
          AuthInterceptor.PEER.get());
      Instant now = clock.instant();
      out.onNext(EnrollResponse.newBuilder()
          .setHostId(e.hostId())
          .setNodeKey(e.nodeKey())
          .setControllerTime(
              Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
          .build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Statuses.of(e));
    }
  }

  @Override
  public void report(ReportRequest req, StreamObserver<ReportAck> out) {
    store(
        AuthInterceptor.HOST.get(),
        req,
        null,
        ack -> {
          out.onNext(ack);
          out.onCompleted();
        },
        out::onError);
  }

  /**
   * Validates and queues one report; exactly one of the two callbacks runs, once it is durable or refused.
   * {@code sentSnapshot} is the snapshot as the agent encoded it, or null to encode it here.
   */
  private void store(
      HostCredential host,
      ReportRequest req,
      byte[] sentSnapshot,
      Consumer<ReportAck> acknowledged,
      Consumer<StatusRuntimeException> refused) {
    try {
      // the limits first: a refusal costs no parsing or database work, and no other host's
      limits.admit(
          host.hostId(),
          sentSnapshot != null ? sentSnapshot.length : req.getSnapshot().getSerializedSize());
      ReportValidator.validate(req, host.hostId());
    } catch (RuntimeException e) {
      metrics.reportRefused(
          e instanceof io.macfleet.controller.fleet.FleetException f
              ? f.kind().name().toLowerCase(java.util.Locale.ROOT)
              : "invalid");
      refused.accept(Statuses.of(e));
      return;
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    PendingReport pending = new PendingReport(
        host.hostId(),
        host.epoch(),
        req.getSeq(),
        reason(req.getReason()),
        req.getSnapshot(),
        now,
        sentSnapshot);
    java.time.Duration off = flags.offset(
        host.hostId(),
        host.name(),
        req.hasSentAt() ? instant(req.getSentAt()) : null,
        now.toInstant());
    if (!off.isZero()) {
      pending = pending.withClockOffset(off);
    }
    if (req.getLastAckedSeq() > 0) {
      pending = pending.withAgentAcked(req.getLastAckedSeq());
    }
    long received = System.nanoTime();
    ingest.submit(pending).whenComplete((outcome, err) -> {
      if (err != null) {
        refused.accept(Statuses.of(err));
        return;
      }
      if (outcome.kind() == io.macfleet.controller.store.ReportOutcome.Kind.AHEAD) {
        metrics.reportRefused("out_of_sequence");
      } else {
        metrics.reportAcknowledged(outcome.stored(), System.nanoTime() - received);
      }
      acknowledged.accept(ReportAck.newBuilder()
          .setSeq(req.getSeq())
          .setHeldSeq(outcome.heldSeq())
          .setOutcome(
              switch (outcome.kind()) {
                case STORED -> ReportAck.Outcome.STORED;
                case DUPLICATE -> ReportAck.Outcome.DUPLICATE;
                case AHEAD -> ReportAck.Outcome.OUT_OF_SEQUENCE;
              })
          .build());
    });
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** A report that came on the Connect stream: answered on the stream, with what Report would have said. */
  private void storeFromStream(
      HostCredential host,
      ReportRequest req,
      byte[] sentSnapshot,
      ServerCallStreamObserver<ControllerMessage> stream) {
    store(
        host,
        req,
        sentSnapshot,
        ack -> AgentSessions.reply(
            stream, ControllerMessage.newBuilder().setReportAck(ack).build()),
        err -> AgentSessions.reply(
            stream,
            ControllerMessage.newBuilder()
                .setReportRefused(ReportRefused.newBuilder()
                    .setSeq(req.getSeq())
                    .setCode(err.getStatus().getCode().value())
                    .setDescription(
                        err.getStatus().getDescription() == null
                            ? ""
                            : err.getStatus().getDescription()))
                .build()));
  }

  private static String reason(io.macfleet.proto.v1.ReportReason r) {
    return switch (r) {
      case REPORT_INTERVAL -> "interval";
      case REPORT_CHANGE -> "change";
      case REPORT_STARTUP -> "startup";
      case REPORT_REQUESTED -> "requested";
      default -> "unspecified";
    };
  }

  /**
   * The service as served. Connect is bound to {@link #controlStream(StreamObserver)} here with
   * {@link ReceivedAgentMessage#MARSHALLER}, under the generated method's name, so each report keeps its snapshot's
   * bytes as sent; the generated binding would hand over only the parsed message.
   */
  public ServerServiceDefinition definition() {
    MethodDescriptor<AgentMessage, ControllerMessage> generated =
        AgentServiceGrpc.getConnectMethod();
    MethodDescriptor<ReceivedAgentMessage, ControllerMessage> connect = generated.toBuilder(
            ReceivedAgentMessage.MARSHALLER, generated.getResponseMarshaller())
        .build();
    List<ServerMethodDefinition<?, ?>> others = bindService().getMethods().stream()
        .filter(
            m -> !m.getMethodDescriptor().getFullMethodName().equals(generated.getFullMethodName()))
        .toList();
    // the same schema as the generated service, so server reflection still describes it
    ServiceDescriptor.Builder service = ServiceDescriptor.newBuilder(AgentServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(AgentServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(connect);
    others.forEach(m -> service.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder served = ServerServiceDefinition.builder(service.build());
    others.forEach(served::addMethod);
    return served
        .addMethod(connect, ServerCalls.asyncBidiStreamingCall(this::controlStream))
        .build();
  }

  /**
   * Connect may run on the network thread (see {@link AgentCallExecutor}), so only reports are handled inline:
   * they are validated and queued, never waited on. Everything that may touch the database (the stream
   * directory, probe results) runs in order on a per-stream queue over a shared pool.
   */
  private StreamObserver<ReceivedAgentMessage> controlStream(
      StreamObserver<ControllerMessage> out) {
    HostCredential host = AuthInterceptor.HOST.get();
    ServerCallStreamObserver<ControllerMessage> stream =
        (ServerCallStreamObserver<ControllerMessage>) out;
    var open = openStreams.computeIfAbsent(
        host.hostId(), h -> new java.util.concurrent.atomic.AtomicInteger());
    if (open.incrementAndGet() > MAX_STREAMS_PER_HOST) {
      open.decrementAndGet();
      metrics.reportRefused("too_many_streams");
      stream.onError(Status.RESOURCE_EXHAUSTED
          .withDescription(
              "this host already has " + MAX_STREAMS_PER_HOST + " streams open; one agent per host")
          .asRuntimeException());
      return new StreamObserver<>() {
        @Override
        public void onNext(ReceivedAgentMessage value) {
          // refused above
        }

        @Override
        public void onError(Throwable t) {
          // refused above
        }

        @Override
        public void onCompleted() {
          // refused above
        }
      };
    }
    java.util.concurrent.atomic.AtomicBoolean counted =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Runnable ended = () -> {
      if (counted.compareAndSet(true, false)) {
        open.decrementAndGet();
      }
    };
    Executor inOrder = MoreExecutors.newSequentialExecutor(streamWork);
    stream.setOnCloseHandler(
        ended); // the server ended the call (a newer stream replaced it, a revocation)
    stream.setOnCancelHandler(() -> {
      ended.run();
      inOrder.execute(() -> sessions.close(host.hostId(), stream));
    });
    return new StreamObserver<>() {
      // set before the controller's hello goes out, so the agent's first report always finds it set
      private volatile boolean greeted;

      @Override
      public void onNext(ReceivedAgentMessage received) {
        if (!enrollment.isCurrent(host)) {
          // the key this stream was opened with was rotated or revoked since: nothing it sends
          // counts any more
          synchronized (stream) {
            try {
              stream.onError(Status.UNAUTHENTICATED
                  .withDescription("this stream's node key was rotated or revoked; "
                      + "reconnect with the current key")
                  .asRuntimeException());
            } catch (RuntimeException ignored) {
              // already closed
            }
          }
          return;
        }
        sessions.heard(host.hostId());
        AgentMessage msg = received.message();
        if (msg.hasReport()) {
          if (greeted) {
            storeFromStream(host, msg.getReport(), received.snapshotBytes(), stream);
          } else {
            AgentSessions.reply(
                stream,
                ControllerMessage.newBuilder()
                    .setReportRefused(ReportRefused.newBuilder()
                        .setSeq(msg.getReport().getSeq())
                        .setCode(Status.Code.FAILED_PRECONDITION.value())
                        .setDescription("say hello on the stream before sending reports on it"))
                    .build());
          }
          return;
        }
        inOrder.execute(() -> handle(msg));
      }

      private void handle(AgentMessage msg) {
        if (msg.hasHello()) {
          if (!msg.getHello().getHostId().equals(host.hostId())) {
            synchronized (stream) {
              stream.onError(Status.PERMISSION_DENIED
                  .withDescription("a host can only connect as itself")
                  .asRuntimeException());
            }
            return;
          }
          greeted = true;
          sessions.open(host.hostId(), stream);
          if (msg.getHello().hasAgentTime()) {
            flags.hello(host.hostId(), host.name(), instant(msg.getHello().getAgentTime()));
          }
        } else if (msg.hasProbeStarted()) {
          runs.started(host.hostId(), msg.getProbeStarted().getRunId());
        } else if (msg.hasProbeResult()) {
          runs.result(host.hostId(), msg.getProbeResult());
        }
      }

      @Override
      public void onError(Throwable t) {
        ended.run();
        inOrder.execute(() -> sessions.close(host.hostId(), stream));
      }

      @Override
      public void onCompleted() {
        ended.run();
        inOrder.execute(() -> {
          sessions.close(host.hostId(), stream);
          synchronized (stream) {
            try {
              stream.onCompleted();
            } catch (RuntimeException ignored) {
              // already closed
            }
          }
        });
      }
    };
  }
}
