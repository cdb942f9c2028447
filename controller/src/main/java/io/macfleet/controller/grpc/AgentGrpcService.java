package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
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
import io.macfleet.proto.v1.ReportRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Thin handlers for agents: translate, hand off to the fleet services, answer. */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  private final io.macfleet.controller.ops.ControllerMetrics metrics;
  private final EnrollmentService enrollment;
  private final IngestQueue ingest;
  private final AgentSessions sessions;
  private final io.macfleet.controller.fleet.RunService runs;
  private final Clock clock;

  public AgentGrpcService(EnrollmentService enrollment, IngestQueue ingest, AgentSessions sessions,
      io.macfleet.controller.fleet.RunService runs, Clock clock, io.macfleet.controller.ops.ControllerMetrics metrics) {
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
      Enrollment e = enrollment.enroll(req.getEnrollmentSecret(), req.getHostname(), req.getHardwareUuid());
      Instant now = clock.instant();
      out.onNext(EnrollResponse.newBuilder().setHostId(e.hostId()).setNodeKey(e.nodeKey())
          .setControllerTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Statuses.of(e));
    }
  }

  @Override
  public void report(ReportRequest req, StreamObserver<ReportAck> out) {
    HostCredential host = AuthInterceptor.HOST.get();
    try {
      ReportValidator.validate(req, host.hostId());
    } catch (RuntimeException e) {
      out.onError(Statuses.of(e));
      return;
    }
    PendingReport pending = new PendingReport(host.hostId(), host.epoch(), req.getSeq(),
        reason(req.getReason()), req.getSnapshot(),
        OffsetDateTime.now(clock));
    long received = System.nanoTime();
    ingest.submit(pending).whenComplete((stored, err) -> {
      if (err != null) {
        out.onError(Statuses.of(err));
        return;
      }
      metrics.reportAcknowledged(stored, System.nanoTime() - received);
      out.onNext(ReportAck.newBuilder().setSeq(req.getSeq())
          .setOutcome(stored ? ReportAck.Outcome.STORED : ReportAck.Outcome.DUPLICATE).build());
      out.onCompleted();
    });
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

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
    HostCredential host = AuthInterceptor.HOST.get();
    ServerCallStreamObserver<ControllerMessage> stream = (ServerCallStreamObserver<ControllerMessage>) out;
    stream.setOnCancelHandler(() -> sessions.close(host.hostId(), stream));
    return new StreamObserver<>() {
      @Override
      public void onNext(AgentMessage msg) {
        if (msg.hasHello()) {
          if (!msg.getHello().getHostId().equals(host.hostId())) {
            stream.onError(Status.PERMISSION_DENIED.withDescription("a host can only connect as itself")
                .asRuntimeException());
            return;
          }
          sessions.open(host.hostId(), stream);
        } else if (msg.hasProbeStarted()) {
          runs.started(host.hostId(), msg.getProbeStarted().getRunId());
        } else if (msg.hasProbeResult()) {
          runs.result(host.hostId(), msg.getProbeResult());
        }
      }

      @Override
      public void onError(Throwable t) {
        sessions.close(host.hostId(), stream);
      }

      @Override
      public void onCompleted() {
        sessions.close(host.hostId(), stream);
        try {
          stream.onCompleted();
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    };
  }
}
