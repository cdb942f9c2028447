package io.macfleet.controller.grpc;

import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.GetReportRequest;
import io.macfleet.proto.v1.GetRunRequest;
import io.macfleet.proto.v1.ListRunsRequest;
import io.macfleet.proto.v1.ListRunsResponse;
import io.macfleet.proto.v1.ReplayRequest;
import io.macfleet.proto.v1.ReplayResponse;
import io.macfleet.proto.v1.Report;
import io.macfleet.proto.v1.ReportRow;
import io.macfleet.proto.v1.RunDetail;
import java.time.Clock;
import java.time.Instant;

/** Probe runs: replays, listings, one run, the per-host report. */
final class RunsAdmin extends AdminServiceGrpc.AdminServiceImplBase implements AdminPart {
  private final RunService runs;
  private final Clock clock;
  private final AdminAnswers answers;

  RunsAdmin(RunService runs, Clock clock, AdminAnswers answers) {
    this.runs = runs;
    this.clock = clock;
    this.answers = answers;
  }

  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of(
        AdminServiceGrpc.getReplayMethod().getFullMethodName(),
        AdminServiceGrpc.getListRunsMethod().getFullMethodName(),
        AdminServiceGrpc.getGetRunMethod().getFullMethodName(),
        AdminServiceGrpc.getGetReportMethod().getFullMethodName());
  }

  @Override
  public void replay(ReplayRequest req, StreamObserver<ReplayResponse> out) {
    answers.audited(
        out,
        "replay",
        req.getSelector(),
        "model " + req.getSpec().getModel() + ", " + req.getSpec().getSamples()
            + " samples, concurrency " + req.getSpec().getConcurrencyList(),
        () -> ReplayResponse.newBuilder()
            .addAllRuns(runs
                .replay(
                    req.getSelector(),
                    req.getSpec(),
                    io.macfleet.controller.interchange.RunPurpose.MANUAL.wire())
                .stream()
                .map(RunSummaries::summary)
                .toList())
            .build());
  }

  @Override
  public void listRuns(ListRunsRequest req, StreamObserver<ListRunsResponse> out) {
    AdminAnswers.answer(
        out,
        () -> ListRunsResponse.newBuilder()
            .addAllRuns(runs
                .list(
                    req.getHost(),
                    req.getModel(),
                    req.getLimit() == 0 ? 100 : (int) Math.min(req.getLimit(), 10_000))
                .stream()
                .map(RunSummaries::summary)
                .toList())
            .build());
  }

  @Override
  public void getRun(GetRunRequest req, StreamObserver<RunDetail> out) {
    AdminAnswers.answer(out, () -> {
      var r = runs.get(req.getId());
      return RunDetail.newBuilder()
          .setSummary(RunSummaries.summary(r))
          .setSpec(RunService.spec(r))
          .setRunJson(r.resultJson() == null ? "" : r.resultJson())
          .build();
    });
  }

  @Override
  public void getReport(GetReportRequest req, StreamObserver<Report> out) {
    AdminAnswers.answer(out, () -> {
      if (req.getModel().isBlank()) {
        throw new FleetException(FleetException.Kind.INVALID, "--model is required");
      }
      java.time.Instant since = req.hasSince()
          ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      Report.Builder b = Report.newBuilder().setModel(req.getModel());
      for (var r : runs.newestDonePerHost(req.getModel(), since)) {
        var s = RunSummaries.summary(r);
        for (var l : r.levels()) {
          ReportRow.Builder row = ReportRow.newBuilder()
              .setHost(r.hostName())
              .setRunId(r.id())
              .setFinishedAt(s.getFinishedAt())
              .setLevel(l);
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
}
