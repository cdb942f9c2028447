package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.AuditEntry;
import io.macfleet.proto.v1.ListAuditRequest;
import io.macfleet.proto.v1.ListAuditResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The audit log. */
final class AuditAdmin extends AdminServiceGrpc.AdminServiceImplBase implements AdminPart {
  private final io.macfleet.controller.fleet.AuditLog audit;
  private final Clock clock;
  private final AdminAnswers answers;

  AuditAdmin(io.macfleet.controller.fleet.AuditLog audit, Clock clock, AdminAnswers answers) {
    this.audit = audit;
    this.clock = clock;
    this.answers = answers;
  }

  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of(AdminServiceGrpc.getListAuditMethod().getFullMethodName());
  }

  @Override
  public void listAudit(ListAuditRequest req, StreamObserver<ListAuditResponse> out) {
    AdminAnswers.answer(out, () -> {
      Instant since = req.hasSince()
          ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      ListAuditResponse.Builder b = ListAuditResponse.newBuilder();
      for (var e : audit
          .repository()
          .list(
              since.atOffset(ZoneOffset.UTC),
              req.getHost().isBlank() ? null : req.getHost(),
              req.getLimit() == 0 ? 1000 : (int) Math.min(req.getLimit(), 100_000))) {
        b.addEntries(AuditEntry.newBuilder()
            .setId(e.id())
            .setAt(Timestamp.newBuilder()
                .setSeconds(e.at().toEpochSecond())
                .setNanos(e.at().getNano()))
            .setActor(e.actor())
            .setAction(e.action())
            .setHost(e.host() == null ? "" : e.host())
            .setDetail(e.detail())
            .setExitCode(e.exitCode())
            .setOutputSha256(e.outputSha256()));
      }
      return b.build();
    });
  }
}
