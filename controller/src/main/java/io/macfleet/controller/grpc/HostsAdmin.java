package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.FleetService;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.store.EventRow;
import io.macfleet.controller.store.HostRow;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.DriftReport;
import io.macfleet.proto.v1.Event;
import io.macfleet.proto.v1.GetDriftRequest;
import io.macfleet.proto.v1.GetHostRequest;
import io.macfleet.proto.v1.HostDetail;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.ListEventsRequest;
import io.macfleet.proto.v1.ListEventsResponse;
import io.macfleet.proto.v1.ListHostsRequest;
import io.macfleet.proto.v1.ListHostsResponse;
import io.macfleet.proto.v1.RefreshHostRequest;
import io.macfleet.proto.v1.RefreshHostResponse;
import io.macfleet.proto.v1.RevokeHostRequest;
import io.macfleet.proto.v1.SetLabelsRequest;
import java.time.Clock;
import java.time.Instant;

/** Hosts: the fleet's list, one host, labels, revocation, re-key approval, drift, refresh, events. */
final class HostsAdmin extends AdminServiceGrpc.AdminServiceImplBase implements AdminPart {
  private final FleetService fleet;
  private final RunService runs;
  private final AgentSessions sessions;
  private final Clock clock;
  private final AdminAnswers answers;

  HostsAdmin(
      FleetService fleet,
      RunService runs,
      AgentSessions sessions,
      Clock clock,
      AdminAnswers answers) {
    this.fleet = fleet;
    this.runs = runs;
    this.sessions = sessions;
    this.clock = clock;
    this.answers = answers;
  }

  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of(
        AdminServiceGrpc.getListHostsMethod().getFullMethodName(),
        AdminServiceGrpc.getGetHostMethod().getFullMethodName(),
        AdminServiceGrpc.getSetLabelsMethod().getFullMethodName(),
        AdminServiceGrpc.getRevokeHostMethod().getFullMethodName(),
        AdminServiceGrpc.getApproveRekeyMethod().getFullMethodName(),
        AdminServiceGrpc.getGetDriftMethod().getFullMethodName(),
        AdminServiceGrpc.getRefreshHostMethod().getFullMethodName(),
        AdminServiceGrpc.getListEventsMethod().getFullMethodName());
  }

  @Override
  public void listHosts(ListHostsRequest req, StreamObserver<ListHostsResponse> out) {
    AdminAnswers.answer(out, () -> {
      Instant now = clock.instant();
      ListHostsResponse.Builder b = ListHostsResponse.newBuilder()
          .setNow(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
      for (HostRow h : fleet.list()) {
        b.addHosts(HostSummaries.summary(h, sessions.connected(h.id()), now));
      }
      return b.build();
    });
  }

  @Override
  public void getHost(GetHostRequest req, StreamObserver<HostDetail> out) {
    AdminAnswers.answer(out, () -> {
      HostRow h = fleet.get(req.getName(), true);
      return HostSummaries.detail(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void setLabels(SetLabelsRequest req, StreamObserver<HostSummary> out) {
    answers.audited(
        out,
        "hosts.label",
        req.getName(),
        "set " + req.getSetMap() + " remove " + req.getRemoveList(),
        () -> {
          HostRow h = fleet.setLabels(req.getName(), req.getSetMap(), req.getRemoveList());
          return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
        });
  }

  @Override
  public void revokeHost(RevokeHostRequest req, StreamObserver<HostSummary> out) {
    answers.audited(out, "hosts.revoke", req.getName(), "revoke", () -> {
      HostRow h = fleet.revoke(req.getName());
      sessions.disconnect(h.id());
      return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void approveRekey(
      io.macfleet.proto.v1.ApproveRekeyRequest req, StreamObserver<HostSummary> out) {
    answers.audited(
        out,
        "hosts.approve",
        req.getName(),
        "re-key approved for " + req.getValidMinutes() + " min",
        () -> {
          HostRow h = fleet.approveRekey(
              req.getName(), java.time.Duration.ofMinutes(req.getValidMinutes()));
          return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
        });
  }

  @Override
  public void getDrift(GetDriftRequest req, StreamObserver<DriftReport> out) {
    AdminAnswers.answer(out, fleet::drift);
  }

  @Override
  public void refreshHost(RefreshHostRequest req, StreamObserver<RefreshHostResponse> out) {
    AdminAnswers.answer(out, () -> {
      HostRow h = fleet.get(req.getName(), false);
      boolean here = !h.revoked() && sessions.requestReport(h.id());
      boolean elsewhere = !here && !h.revoked() && runs.requestReportElsewhere(h.id());
      return RefreshHostResponse.newBuilder()
          .setRequested(here || elsewhere)
          .setViaOtherController(elsewhere)
          .setLastSeq(h.lastSeq())
          .build();
    });
  }

  @Override
  public void listEvents(ListEventsRequest req, StreamObserver<ListEventsResponse> out) {
    AdminAnswers.answer(out, () -> {
      Instant since = req.hasSince()
          ? Instant.ofEpochSecond(req.getSince().getSeconds(), req.getSince().getNanos())
          : clock.instant().minus(java.time.Duration.ofHours(24));
      ListEventsResponse.Builder b = ListEventsResponse.newBuilder();
      for (EventRow e : fleet.events(
          req.getHost(),
          since.atOffset(java.time.ZoneOffset.UTC),
          req.getLimit() == 0 ? 1000 : req.getLimit())) {
        Instant at = e.at().toInstant();
        b.addEvents(Event.newBuilder()
            .setHost(e.hostName())
            .setKind(e.kind())
            .setFrom(e.from())
            .setTo(e.to())
            .setDetail(e.detail())
            .setReportSeq(e.reportSeq())
            .setAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())));
      }
      return b.build();
    });
  }
}
