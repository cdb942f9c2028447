package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.FleetService;
import io.macfleet.controller.store.EventRow;
import io.macfleet.controller.store.HostRow;
import io.macfleet.proto.v1.Event;
import io.macfleet.proto.v1.ListEventsRequest;
import io.macfleet.proto.v1.ListEventsResponse;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.DriftReport;
import io.macfleet.proto.v1.GetDriftRequest;
import io.macfleet.proto.v1.GetHostRequest;
import io.macfleet.proto.v1.HostDetail;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.ListHostsRequest;
import io.macfleet.proto.v1.ListHostsResponse;
import io.macfleet.proto.v1.RefreshHostRequest;
import io.macfleet.proto.v1.RefreshHostResponse;
import io.macfleet.proto.v1.RevokeHostRequest;
import io.macfleet.proto.v1.SetLabelsRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/** Thin handlers for the CLI. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final FleetService fleet;
  private final io.macfleet.controller.fleet.RunService runs;
  private final io.macfleet.controller.schedule.ScheduleService schedules;
  private final AgentSessions sessions;
  private final Clock clock;

  public AdminGrpcService(FleetService fleet, io.macfleet.controller.fleet.RunService runs,
      io.macfleet.controller.schedule.ScheduleService schedules, AgentSessions sessions, Clock clock) {
    this.fleet = fleet;
    this.runs = runs;
    this.schedules = schedules;
    this.sessions = sessions;
    this.clock = clock;
  }

  @Override
  public void listHosts(ListHostsRequest req, StreamObserver<ListHostsResponse> out) {
    answer(out, () -> {
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
    answer(out, () -> {
      HostRow h = fleet.get(req.getName(), true);
      return HostSummaries.detail(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void setLabels(SetLabelsRequest req, StreamObserver<HostSummary> out) {
    answer(out, () -> {
      HostRow h = fleet.setLabels(req.getName(), req.getSetMap(), req.getRemoveList());
      return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void revokeHost(RevokeHostRequest req, StreamObserver<HostSummary> out) {
    answer(out, () -> {
      HostRow h = fleet.revoke(req.getName());
      sessions.disconnect(h.id());
      return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void getDrift(GetDriftRequest req, StreamObserver<DriftReport> out) {
    answer(out, fleet::drift);
  }

  @Override
  public void refreshHost(RefreshHostRequest req, StreamObserver<RefreshHostResponse> out) {
    answer(out, () -> {
      HostRow h = fleet.get(req.getName(), false);
      return RefreshHostResponse.newBuilder().setRequested(!h.revoked() && sessions.requestReport(h.id()))
          .setLastSeq(h.lastSeq()).build();
    });
  }

  @Override
  public void listEvents(ListEventsRequest req, StreamObserver<ListEventsResponse> out) {
    answer(out, () -> {
      Instant since = req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds(), req.getSince().getNanos())
          : clock.instant().minus(java.time.Duration.ofHours(24));
      ListEventsResponse.Builder b = ListEventsResponse.newBuilder();
      for (EventRow e : fleet.events(req.getHost(), since.atOffset(java.time.ZoneOffset.UTC),
          req.getLimit() == 0 ? 1000 : req.getLimit())) {
        Instant at = e.at().toInstant();
        b.addEvents(Event.newBuilder().setHost(e.hostName()).setKind(e.kind()).setFrom(e.from()).setTo(e.to())
            .setDetail(e.detail()).setReportSeq(e.reportSeq())
            .setAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())));
      }
      return b.build();
    });
  }

  @Override
  public void replay(io.macfleet.proto.v1.ReplayRequest req,
      StreamObserver<io.macfleet.proto.v1.ReplayResponse> out) {
    answer(out, () -> io.macfleet.proto.v1.ReplayResponse.newBuilder().addAllRuns(
        runs.replay(req.getSelector(), req.getSpec(), "manual").stream().map(RunSummaries::summary).toList()).build());
  }

  @Override
  public void listRuns(io.macfleet.proto.v1.ListRunsRequest req,
      StreamObserver<io.macfleet.proto.v1.ListRunsResponse> out) {
    answer(out, () -> io.macfleet.proto.v1.ListRunsResponse.newBuilder().addAllRuns(
        runs.list(req.getHost(), req.getModel(), req.getLimit() == 0 ? 100 : (int) Math.min(req.getLimit(), 10_000))
            .stream().map(RunSummaries::summary).toList()).build());
  }

  @Override
  public void getRun(io.macfleet.proto.v1.GetRunRequest req, StreamObserver<io.macfleet.proto.v1.RunDetail> out) {
    answer(out, () -> {
      var r = runs.get(req.getId());
      return io.macfleet.proto.v1.RunDetail.newBuilder().setSummary(RunSummaries.summary(r))
          .setSpec(io.macfleet.controller.fleet.RunService.spec(r))
          .setRunJson(r.resultJson() == null ? "" : r.resultJson()).build();
    });
  }

  @Override
  public void getReport(io.macfleet.proto.v1.GetReportRequest req, StreamObserver<io.macfleet.proto.v1.Report> out) {
    answer(out, () -> {
      if (req.getModel().isBlank()) {
        throw new io.macfleet.controller.fleet.FleetException(io.macfleet.controller.fleet.FleetException.Kind.INVALID,
            "--model is required");
      }
      java.time.Instant since = req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      io.macfleet.proto.v1.Report.Builder b = io.macfleet.proto.v1.Report.newBuilder().setModel(req.getModel());
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (var r : runs.list(null, req.getModel(), 10_000)) { // newest first: the first done run per host wins
        if (!"done".equals(r.status()) || r.finishedAt() == null || r.finishedAt().toInstant().isBefore(since)
            || !seen.add(r.hostId())) {
          continue;
        }
        var s = RunSummaries.summary(r);
        for (var l : r.levels()) {
          io.macfleet.proto.v1.ReportRow.Builder row = io.macfleet.proto.v1.ReportRow.newBuilder()
              .setHost(r.hostName()).setRunId(r.id()).setFinishedAt(s.getFinishedAt()).setLevel(l);
          if (r.ttftP95Ratio() != null) {
            row.setTtftP95Ratio(r.ttftP95Ratio());
          }
          b.addRows(row);
        }
      }
      java.util.List<io.macfleet.proto.v1.ReportRow> rows = new java.util.ArrayList<>(b.getRowsList());
      rows.sort(java.util.Comparator.comparing(io.macfleet.proto.v1.ReportRow::getHost)
          .thenComparingInt(x -> x.getLevel().getConcurrency()));
      return b.clearRows().addAllRows(rows).build();
    });
  }

  @Override
  public void addSchedule(io.macfleet.proto.v1.AddScheduleRequest req,
      StreamObserver<io.macfleet.proto.v1.Schedule> out) {
    answer(out, () -> schedule(schedules.add(req.getName(), req.getCron(), req.getSelector(), req.getSpec())));
  }

  @Override
  public void listSchedules(io.macfleet.proto.v1.ListSchedulesRequest req,
      StreamObserver<io.macfleet.proto.v1.ListSchedulesResponse> out) {
    answer(out, () -> io.macfleet.proto.v1.ListSchedulesResponse.newBuilder()
        .addAllSchedules(schedules.list().stream().map(AdminGrpcService::schedule).toList()).build());
  }

  @Override
  public void getSchedule(io.macfleet.proto.v1.ScheduleName req, StreamObserver<io.macfleet.proto.v1.Schedule> out) {
    answer(out, () -> schedule(schedules.get(req.getName())));
  }

  @Override
  public void pauseSchedule(io.macfleet.proto.v1.ScheduleName req, StreamObserver<io.macfleet.proto.v1.Schedule> out) {
    answer(out, () -> schedule(schedules.pause(req.getName())));
  }

  @Override
  public void resumeSchedule(io.macfleet.proto.v1.ScheduleName req, StreamObserver<io.macfleet.proto.v1.Schedule> out) {
    answer(out, () -> schedule(schedules.resume(req.getName())));
  }

  @Override
  public void removeSchedule(io.macfleet.proto.v1.ScheduleName req, StreamObserver<io.macfleet.proto.v1.Schedule> out) {
    answer(out, () -> schedule(schedules.remove(req.getName())));
  }

  private static io.macfleet.proto.v1.Schedule schedule(io.macfleet.controller.schedule.ScheduleInfo s) {
    io.macfleet.proto.v1.Schedule.Builder b = io.macfleet.proto.v1.Schedule.newBuilder().setName(s.name())
        .setCron(s.cron()).setSelector(s.selector()).setSpec(s.spec()).setState(s.state());
    if (s.nextFire() != null) {
      b.setNextFire(Timestamp.newBuilder().setSeconds(s.nextFire().getEpochSecond()));
    }
    if (s.previousFire() != null) {
      b.setPreviousFire(Timestamp.newBuilder().setSeconds(s.previousFire().getEpochSecond()));
    }
    return b.build();
  }

  private static <T> void answer(StreamObserver<T> out, Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      out.onError(Statuses.of(e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
