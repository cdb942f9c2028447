package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.FleetService;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.schedule.ScheduleInfo;
import io.macfleet.controller.schedule.ScheduleService;
import io.macfleet.controller.store.EventRow;
import io.macfleet.controller.store.HostRow;
import io.macfleet.proto.v1.AddScheduleRequest;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.DriftReport;
import io.macfleet.proto.v1.Event;
import io.macfleet.proto.v1.GetDriftRequest;
import io.macfleet.proto.v1.GetHostRequest;
import io.macfleet.proto.v1.GetReportRequest;
import io.macfleet.proto.v1.GetRunRequest;
import io.macfleet.proto.v1.HostDetail;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.ListEventsRequest;
import io.macfleet.proto.v1.ListEventsResponse;
import io.macfleet.proto.v1.ListHostsRequest;
import io.macfleet.proto.v1.ListHostsResponse;
import io.macfleet.proto.v1.ListRunsRequest;
import io.macfleet.proto.v1.ListRunsResponse;
import io.macfleet.proto.v1.ListSchedulesRequest;
import io.macfleet.proto.v1.ListSchedulesResponse;
import io.macfleet.proto.v1.RefreshHostRequest;
import io.macfleet.proto.v1.RefreshHostResponse;
import io.macfleet.proto.v1.ReplayRequest;
import io.macfleet.proto.v1.ReplayResponse;
import io.macfleet.proto.v1.Report;
import io.macfleet.proto.v1.ReportRow;
import io.macfleet.proto.v1.RevokeHostRequest;
import io.macfleet.proto.v1.RunDetail;
import io.macfleet.proto.v1.Schedule;
import io.macfleet.proto.v1.ScheduleName;
import io.macfleet.proto.v1.SetLabelsRequest;
import io.macfleet.controller.interchange.InterchangeException;
import io.macfleet.controller.interchange.InterchangeReader;
import io.macfleet.controller.interchange.RecordWriter;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.InterchangeRepository;
import io.macfleet.controller.store.VerdictRepository;
import io.macfleet.controller.verdict.BaselineService;
import io.macfleet.proto.v1.AuditEntry;
import io.macfleet.proto.v1.BaselineRequest;
import io.macfleet.proto.v1.ListAuditRequest;
import io.macfleet.proto.v1.ListAuditResponse;
import io.macfleet.proto.v1.BaselineResponse;
import io.macfleet.proto.v1.BaselineRun;
import io.macfleet.proto.v1.ExportRequest;
import io.macfleet.proto.v1.ImportResponse;
import io.macfleet.proto.v1.InterchangeLines;
import io.macfleet.proto.v1.ListVerdictsRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Thin handlers for the CLI. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final FleetService fleet;
  private final RunService runs;
  private final ScheduleService schedules;
  private final AgentSessions sessions;
  private final Clock clock;
  private final InterchangeRepository data;
  private final VerdictRepository verdicts;
  private final BaselineService baselines;
  private final HostRepository hosts;
  private final io.macfleet.controller.fleet.AuditLog audit;
  private final io.macfleet.controller.ssh.SshService ssh;
  private final io.macfleet.controller.ssh.RollbackLadder ladder;

  public AdminGrpcService(FleetService fleet, RunService runs, ScheduleService schedules, AgentSessions sessions,
      Clock clock, InterchangeRepository data, VerdictRepository verdicts, BaselineService baselines,
      HostRepository hosts, io.macfleet.controller.fleet.AuditLog audit, io.macfleet.controller.ssh.SshService ssh,
      io.macfleet.controller.ssh.RollbackLadder ladder) {
    this.ladder = ladder;
    this.audit = audit;
    this.ssh = ssh;
    this.data = data;
    this.verdicts = verdicts;
    this.baselines = baselines;
    this.hosts = hosts;
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
    audited(out, "hosts.label", req.getName(), "set " + req.getSetMap() + " remove " + req.getRemoveList(), () -> {
      HostRow h = fleet.setLabels(req.getName(), req.getSetMap(), req.getRemoveList());
      return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void revokeHost(RevokeHostRequest req, StreamObserver<HostSummary> out) {
    audited(out, "hosts.revoke", req.getName(), "revoke", () -> {
      HostRow h = fleet.revoke(req.getName());
      sessions.disconnect(h.id());
      return HostSummaries.summary(h, sessions.connected(h.id()), clock.instant());
    });
  }

  @Override
  public void approveRekey(io.macfleet.proto.v1.ApproveRekeyRequest req, StreamObserver<HostSummary> out) {
    audited(out, "hosts.approve", req.getName(), "re-key approved for " + req.getValidMinutes() + " min", () -> {
      HostRow h = fleet.approveRekey(req.getName(), java.time.Duration.ofMinutes(req.getValidMinutes()));
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
      boolean here = !h.revoked() && sessions.requestReport(h.id());
      boolean elsewhere = !here && !h.revoked() && runs.requestReportElsewhere(h.id());
      return RefreshHostResponse.newBuilder().setRequested(here || elsewhere).setViaOtherController(elsewhere)
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
  public void replay(ReplayRequest req,
      StreamObserver<ReplayResponse> out) {
    audited(out, "replay", req.getSelector(), "model " + req.getSpec().getModel() + ", "
        + req.getSpec().getSamples() + " samples, concurrency " + req.getSpec().getConcurrencyList(),
        () -> ReplayResponse.newBuilder().addAllRuns(
        runs.replay(req.getSelector(), req.getSpec(), "manual").stream().map(RunSummaries::summary).toList()).build());
  }

  @Override
  public void listRuns(ListRunsRequest req,
      StreamObserver<ListRunsResponse> out) {
    answer(out, () -> ListRunsResponse.newBuilder().addAllRuns(
        runs.list(req.getHost(), req.getModel(), req.getLimit() == 0 ? 100 : (int) Math.min(req.getLimit(), 10_000))
            .stream().map(RunSummaries::summary).toList()).build());
  }

  @Override
  public void getRun(GetRunRequest req, StreamObserver<RunDetail> out) {
    answer(out, () -> {
      var r = runs.get(req.getId());
      return RunDetail.newBuilder().setSummary(RunSummaries.summary(r))
          .setSpec(RunService.spec(r))
          .setRunJson(r.resultJson() == null ? "" : r.resultJson()).build();
    });
  }

  @Override
  public void getReport(GetReportRequest req, StreamObserver<Report> out) {
    answer(out, () -> {
      if (req.getModel().isBlank()) {
        throw new FleetException(FleetException.Kind.INVALID,
            "--model is required");
      }
      java.time.Instant since = req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      Report.Builder b = Report.newBuilder().setModel(req.getModel());
      for (var r : runs.newestDonePerHost(req.getModel(), since)) {
        var s = RunSummaries.summary(r);
        for (var l : r.levels()) {
          ReportRow.Builder row = ReportRow.newBuilder()
              .setHost(r.hostName()).setRunId(r.id()).setFinishedAt(s.getFinishedAt()).setLevel(l);
          if (r.ttftP95Ratio() != null) {
            row.setTtftP95Ratio(r.ttftP95Ratio());
          }
          b.addRows(row);
        }
      }
      java.util.List<ReportRow> rows = new java.util.ArrayList<>(b.getRowsList());
      rows.sort(java.util.Comparator.comparing(ReportRow::getHost)
          .thenComparingInt(x -> x.getLevel().getConcurrency()));
      return b.clearRows().addAllRows(rows).build();
    });
  }

  @Override
  public void addSchedule(AddScheduleRequest req,
      StreamObserver<Schedule> out) {
    audited(out, "schedule.add", null, req.getName() + " cron '" + req.getCron() + "' hosts " + req.getSelector()
        + " model " + req.getSpec().getModel(),
        () -> schedule(schedules.add(req.getName(), req.getCron(), req.getSelector(), req.getSpec())));
  }

  @Override
  public void listSchedules(ListSchedulesRequest req,
      StreamObserver<ListSchedulesResponse> out) {
    answer(out, () -> ListSchedulesResponse.newBuilder()
        .addAllSchedules(schedules.list().stream().map(AdminGrpcService::schedule).toList()).build());
  }

  @Override
  public void getSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    answer(out, () -> schedule(schedules.get(req.getName())));
  }

  @Override
  public void pauseSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    audited(out, "schedule.pause", null, req.getName(), () -> schedule(schedules.pause(req.getName())));
  }

  @Override
  public void resumeSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    audited(out, "schedule.resume", null, req.getName(), () -> schedule(schedules.resume(req.getName())));
  }

  @Override
  public void removeSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    audited(out, "schedule.rm", null, req.getName(), () -> schedule(schedules.remove(req.getName())));
  }

  private static Schedule schedule(ScheduleInfo s) {
    Schedule.Builder b = Schedule.newBuilder().setName(s.name())
        .setCron(s.cron()).setSelector(s.selector()).setSpec(s.spec()).setState(s.state());
    if (s.nextFire() != null) {
      b.setNextFire(Timestamp.newBuilder().setSeconds(s.nextFire().getEpochSecond()));
    }
    if (s.previousFire() != null) {
      b.setPreviousFire(Timestamp.newBuilder().setSeconds(s.previousFire().getEpochSecond()));
    }
    return b.build();
  }

  private static final int MAX_IMPORT_LINES = 20_000_000;

  @Override
  public void export(ExportRequest req, StreamObserver<InterchangeLines> out) {
    try {
      Instant since = req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds()) : Instant.EPOCH;
      InterchangeLines.Builder chunk = InterchangeLines.newBuilder();
      data.export(since.atOffset(ZoneOffset.UTC), req.getModel().isBlank() ? null : req.getModel(), r -> {
        chunk.addLines(RecordWriter.line(r));
        if (chunk.getLinesCount() == 2000) {
          out.onNext(chunk.build());
          chunk.clear();
        }
      });
      if (chunk.getLinesCount() > 0) {
        out.onNext(chunk.build());
      }
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Statuses.of(e));
    }
  }

  @Override
  public StreamObserver<InterchangeLines> import_(StreamObserver<ImportResponse> out) {
    List<String> lines = new ArrayList<>();
    return new StreamObserver<>() {
      private boolean failed;

      @Override
      public void onNext(InterchangeLines chunk) {
        if (!failed && lines.size() + chunk.getLinesCount() > MAX_IMPORT_LINES) {
          failed = true;
          out.onError(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("an import is limited to "
              + MAX_IMPORT_LINES + " lines; split the file by time").asRuntimeException());
        }
        if (!failed) {
          lines.addAll(chunk.getLinesList());
        }
      }

      @Override
      public void onError(Throwable t) {
        lines.clear(); // the client gave up: nothing was applied
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        audited(out, "import", null, lines.size() + " lines", r -> r.getChangesList().isEmpty() ? "no label changes"
            : String.join("; ", r.getChangesList()), () -> {
          List<Records.Record> records = new ArrayList<>();
          InterchangeReader.Result read;
          try {
            read = InterchangeReader.readAll(lines, records::add);
          } catch (InterchangeException e) {
            throw new FleetException(FleetException.Kind.INVALID, e.getMessage() + "; nothing was imported");
          }
          io.macfleet.controller.fleet.ImportRules.check(records);
          var c = data.importAll(records, java.time.OffsetDateTime.now(clock));
          return ImportResponse.newBuilder().setLines(read.lines()).setHostsCreated(c.hostsCreated())
              .setHostsUpdated(c.hostsUpdated()).setRuns(c.runs()).setRunsSkipped(c.runsSkipped())
              .setSamples(c.samples()).setTelemetry(c.telemetry()).setEvents(c.events()).setStates(c.states())
              .addAllWarnings(read.warnings()).addAllChanges(c.changes()).build();
        });
      }
    };
  }

  @Override
  public void listVerdicts(ListVerdictsRequest req, StreamObserver<InterchangeLines> out) {
    answer(out, () -> {
      Instant since = req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      String hostId = null;
      if (!req.getHost().isBlank()) {
        hostId = hosts.findByName(req.getHost(), false).orElseThrow(() -> new FleetException(
            FleetException.Kind.NOT_FOUND, "no host named '" + io.macfleet.controller.fleet.Names.printable(
                req.getHost()) + "'")).id();
      }
      int limit = req.getLimit() == 0 ? 1000 : (int) Math.min(req.getLimit(), 100_000);
      return InterchangeLines.newBuilder().addAllLines(verdicts.latest(since.atOffset(ZoneOffset.UTC), hostId,
          req.getModel().isBlank() ? null : req.getModel(), limit).stream().map(VerdictRepository.Row::body)
          .toList()).build();
    });
  }

  @Override
  public void pinBaseline(BaselineRequest req, StreamObserver<BaselineResponse> out) {
    audited(out, "baseline.pin", req.getHost(), "model " + req.getModel() + " runs " + req.getRunIdsList(),
        () -> baselineResponse(baselines.pin(req.getHost(), req.getModel(), req.getRunIdsList(),
        req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds())
            : clock.instant().minus(java.time.Duration.ofDays(7))), 0));
  }

  @Override
  public void showBaseline(BaselineRequest req, StreamObserver<BaselineResponse> out) {
    answer(out, () -> baselineResponse(baselines.show(req.getHost(), req.getModel()), 0));
  }

  @Override
  public void clearBaseline(BaselineRequest req, StreamObserver<BaselineResponse> out) {
    audited(out, "baseline.clear", req.getHost(), "model " + req.getModel(),
        () -> baselineResponse(List.of(), baselines.clear(req.getHost(), req.getModel())));
  }

  private static BaselineResponse baselineResponse(List<BaselineService.Pinned> pinned, int changed) {
    BaselineResponse.Builder b = BaselineResponse.newBuilder().setChanged(changed);
    for (BaselineService.Pinned p : pinned) {
      Records.Run r = p.run();
      b.addRuns(BaselineRun.newBuilder().setHost(r.host()).setModel(r.model()).setPromptSet(nz(r.promptSet()))
          .setRunId(r.run()).setStartedAt(Timestamp.newBuilder().setSeconds(r.startedAt().getEpochSecond()))
          .setOllamaVersion(nz(r.ollamaVersion())).setDigest(nz(r.digest())).setOsBuild(nz(r.osBuild()))
          .setBackend(nz(r.backend())).setSteadySamples(p.steadySamples()));
    }
    return b.build();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** answer, and a line in the audit log whichever way it ends. */
  private <T extends com.google.protobuf.MessageOrBuilder> void audited(StreamObserver<T> out, String action,
      String host, String detail, Supplier<T> work) {
    audited(out, action, host, detail, r -> "", work);
  }

  /** As above, with what the action did (from its result) added to the audit entry's detail. */
  private <T extends com.google.protobuf.MessageOrBuilder> void audited(StreamObserver<T> out, String action,
      String host, String detail, java.util.function.Function<T, String> did, Supplier<T> work) {
    String actor = AuthInterceptor.ACTOR.get();
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      audit.record(actor, action, host, detail, FleetException.Kind.exitCode(e), String.valueOf(e.getMessage()));
      out.onError(Statuses.of(e));
      return;
    }
    String done = did.apply(result);
    audit.record(actor, action, host, done.isEmpty() ? detail : detail + ": " + done, 0, result.toString());
    out.onNext(result);
    out.onCompleted();
  }

  @Override
  public void sshKey(io.macfleet.proto.v1.SshKeyRequest req,
      StreamObserver<io.macfleet.proto.v1.SshKeyResponse> out) {
    answer(out, () -> {
      try {
        return io.macfleet.proto.v1.SshKeyResponse.newBuilder()
            .setPublicKey(io.macfleet.controller.ssh.ControllerSshKey.publicLine(ssh.key())).build();
      } catch (java.io.IOException e) {
        throw new FleetException(FleetException.Kind.UNAVAILABLE, e.getMessage());
      }
    });
  }

  @Override
  public void sshTrust(io.macfleet.proto.v1.SshTrustRequest req,
      StreamObserver<io.macfleet.proto.v1.SshTrustResponse> out) {
    answer(out, () -> {
      var t = ssh.trust(AuthInterceptor.ACTOR.get(), req.getHost(), req.getReplace());
      return io.macfleet.proto.v1.SshTrustResponse.newBuilder().setKnownHostsName(t.name())
          .setFingerprint(t.fingerprint()).setPreviousFingerprint(t.previous()).setChanged(t.changed()).build();
    });
  }

  @Override
  public void sshCheck(io.macfleet.proto.v1.SshCheckRequest req,
      StreamObserver<io.macfleet.proto.v1.SshCheckResponse> out) {
    answer(out, () -> {
      var o = ssh.check(AuthInterceptor.ACTOR.get(), req.getHost());
      return io.macfleet.proto.v1.SshCheckResponse.newBuilder().setHost(req.getHost()).setState(o.state().wire())
          .setSummary(o.summary()).addAllEvidence(o.evidence()).build();
    });
  }

  @Override
  public void rollback(io.macfleet.proto.v1.RollbackRequest req,
      StreamObserver<io.macfleet.proto.v1.RollbackResponse> out) {
    answer(out, () -> {
      HostRow h = fleet.get(req.getHost(), false);
      var o = new io.macfleet.controller.ssh.RollbackLadder.Options(req.getModel(),
          req.getGgufTag().isBlank() ? null : req.getGgufTag(), req.getPinOllama(),
          req.getPolicy().isBlank() ? "lab" : req.getPolicy(), req.getDryRun(),
          req.getProbeSamples() == 0 ? 24 : req.getProbeSamples(),
          java.time.Duration.ofSeconds(req.getProbeTimeoutS() == 0 ? 600 : req.getProbeTimeoutS()));
      io.macfleet.controller.ssh.RollbackLadder.Report r;
      try {
        r = ladder.run(AuthInterceptor.ACTOR.get(), h, o);
      } catch (IllegalArgumentException e) {
        throw new FleetException(FleetException.Kind.INVALID, e.getMessage());
      }
      var b = io.macfleet.proto.v1.RollbackResponse.newBuilder().setId(r.id()).setHost(r.host()).setModel(r.model())
          .setPolicy(r.policy()).setDryRun(r.dryRun()).setOutcome(r.outcome());
      for (var st : r.steps()) {
        b.addSteps(io.macfleet.proto.v1.RollbackStep.newBuilder().setNumber(st.number()).setName(st.name())
            .setStatus(st.status().wire()).addAllCommands(st.commands()).setDetail(st.detail()));
      }
      return b.build();
    });
  }

  @Override
  public void listAudit(ListAuditRequest req, StreamObserver<ListAuditResponse> out) {
    answer(out, () -> {
      Instant since = req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      ListAuditResponse.Builder b = ListAuditResponse.newBuilder();
      for (var e : audit.repository().list(since.atOffset(ZoneOffset.UTC), req.getHost().isBlank() ? null
          : req.getHost(), req.getLimit() == 0 ? 1000 : (int) Math.min(req.getLimit(), 100_000))) {
        b.addEntries(AuditEntry.newBuilder().setId(e.id()).setAt(Timestamp.newBuilder()
            .setSeconds(e.at().toEpochSecond()).setNanos(e.at().getNano())).setActor(e.actor()).setAction(e.action())
            .setHost(e.host() == null ? "" : e.host()).setDetail(e.detail()).setExitCode(e.exitCode())
            .setOutputSha256(e.outputSha256()));
      }
      return b.build();
    });
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
