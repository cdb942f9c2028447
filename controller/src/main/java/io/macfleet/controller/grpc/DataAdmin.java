package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.HostSelector;
import io.macfleet.controller.fleet.Names;
import io.macfleet.controller.fleet.Selector;
import io.macfleet.controller.interchange.ClientsWindow;
import io.macfleet.controller.interchange.InterchangeException;
import io.macfleet.controller.interchange.InterchangeReader;
import io.macfleet.controller.interchange.RecordWriter;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.InterchangeRepository;
import io.macfleet.controller.store.VerdictRepository;
import io.macfleet.controller.verdict.BaselineService;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.BaselineRequest;
import io.macfleet.proto.v1.BaselineResponse;
import io.macfleet.proto.v1.BaselineRun;
import io.macfleet.proto.v1.ExportRequest;
import io.macfleet.proto.v1.ImportResponse;
import io.macfleet.proto.v1.InterchangeLines;
import io.macfleet.proto.v1.ListClientsRequest;
import io.macfleet.proto.v1.ListClientsResponse;
import io.macfleet.proto.v1.ListVerdictsRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The interchange format out and in, verdicts, pinned baselines. */
final class DataAdmin extends AdminServiceGrpc.AdminServiceImplBase implements AdminPart {
  private final InterchangeRepository data;
  private final VerdictRepository verdicts;
  private final BaselineService baselines;
  private final HostRepository hosts;
  private final Clock clock;
  private final AdminAnswers answers;

  DataAdmin(
      InterchangeRepository data,
      VerdictRepository verdicts,
      BaselineService baselines,
      HostRepository hosts,
      Clock clock,
      AdminAnswers answers) {
    this.data = data;
    this.verdicts = verdicts;
    this.baselines = baselines;
    this.hosts = hosts;
    this.clock = clock;
    this.answers = answers;
  }

  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of(
        AdminServiceGrpc.getListClientsMethod().getFullMethodName(),
        AdminServiceGrpc.getExportMethod().getFullMethodName(),
        AdminServiceGrpc.getImportMethod().getFullMethodName(),
        AdminServiceGrpc.getListVerdictsMethod().getFullMethodName(),
        AdminServiceGrpc.getPinBaselineMethod().getFullMethodName(),
        AdminServiceGrpc.getShowBaselineMethod().getFullMethodName(),
        AdminServiceGrpc.getClearBaselineMethod().getFullMethodName());
  }

  private static final int MAX_IMPORT_LINES = 20_000_000;

  private static BaselineResponse baselineResponse(
      List<BaselineService.Pinned> pinned, int changed) {
    BaselineResponse.Builder b = BaselineResponse.newBuilder().setChanged(changed);
    for (BaselineService.Pinned p : pinned) {
      Records.Run r = p.run();
      b.addRuns(BaselineRun.newBuilder()
          .setHost(r.host())
          .setModel(r.model())
          .setPromptSet(nz(r.promptSet()))
          .setRunId(r.run())
          .setStartedAt(Timestamp.newBuilder().setSeconds(r.startedAt().getEpochSecond()))
          .setOllamaVersion(nz(r.ollamaVersion()))
          .setDigest(nz(r.digest()))
          .setOsBuild(nz(r.osBuild()))
          .setBackend(nz(r.backend()))
          .setSteadySamples(p.steadySamples()));
    }
    return b.build();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  @Override
  public void export(ExportRequest req, StreamObserver<InterchangeLines> out) {
    try {
      Instant since =
          req.hasSince() ? Instant.ofEpochSecond(req.getSince().getSeconds()) : Instant.EPOCH;
      InterchangeLines.Builder chunk = InterchangeLines.newBuilder();
      data.export(
          since.atOffset(ZoneOffset.UTC), req.getModel().isBlank() ? null : req.getModel(), r -> {
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
          out.onError(io.grpc.Status.RESOURCE_EXHAUSTED
              .withDescription(
                  "an import is limited to " + MAX_IMPORT_LINES + " lines; split the file by time")
              .asRuntimeException());
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
        answers.audited(
            out,
            "import",
            null,
            lines.size() + " lines",
            r -> r.getChangesList().isEmpty()
                ? "no label changes"
                : String.join("; ", r.getChangesList()),
            () -> {
              List<Records.Record> records = new ArrayList<>();
              InterchangeReader.Result read;
              try {
                read = InterchangeReader.readAll(lines, records::add);
              } catch (InterchangeException e) {
                throw new FleetException(
                    FleetException.Kind.INVALID, e.getMessage() + "; nothing was imported");
              }
              io.macfleet.controller.fleet.ImportRules.check(records);
              var c = data.importAll(records, java.time.OffsetDateTime.now(clock));
              return ImportResponse.newBuilder()
                  .setLines(read.lines())
                  .setHostsCreated(c.hostsCreated())
                  .setHostsUpdated(c.hostsUpdated())
                  .setRuns(c.runs())
                  .setRunsSkipped(c.runsSkipped())
                  .setSamples(c.samples())
                  .setTelemetry(c.telemetry())
                  .setEvents(c.events())
                  .setStates(c.states())
                  .setClients(c.clients())
                  .addAllWarnings(read.warnings())
                  .addAllChanges(c.changes())
                  .build();
            });
      }
    };
  }

  @Override
  public void listClients(ListClientsRequest req, StreamObserver<ListClientsResponse> out) {
    AdminAnswers.answer(out, () -> {
      Instant now = clock.instant();
      Instant since = req.hasSince()
          ? Instant.ofEpochSecond(req.getSince().getSeconds(), req.getSince().getNanos())
          : now.minus(Duration.ofHours(24));
      Selector selector = Selector.hosts(req.getSelector().isBlank() ? "all" : req.getSelector());
      List<HostRow> selected = HostSelector.select(selector, hosts.listAll());
      if (selected.isEmpty()) {
        throw new FleetException(
            FleetException.Kind.NOT_FOUND,
            "no host matches '" + Names.printable(req.getSelector()) + "'");
      }
      Map<String, List<Records.Clients>> seen = data.clients(since.atOffset(ZoneOffset.UTC));
      ListClientsResponse.Builder b =
          ListClientsResponse.newBuilder().setNow(io.macfleet.shared.ProtoTime.of(now));
      for (HostRow h : selected) {
        b.addHosts(HostClientsAnswer.of(
            h.name(), ClientsWindow.of(seen.getOrDefault(h.name(), List.of()))));
      }
      return b.build();
    });
  }

  @Override
  public void listVerdicts(ListVerdictsRequest req, StreamObserver<InterchangeLines> out) {
    AdminAnswers.answer(out, () -> {
      Instant since = req.hasSince()
          ? Instant.ofEpochSecond(req.getSince().getSeconds())
          : clock.instant().minus(java.time.Duration.ofDays(7));
      String hostId = null;
      if (!req.getHost().isBlank()) {
        hostId = hosts
            .findByName(req.getHost(), false)
            .orElseThrow(() -> new FleetException(
                FleetException.Kind.NOT_FOUND,
                "no host named '" + io.macfleet.controller.fleet.Names.printable(req.getHost())
                    + "'"))
            .id();
      }
      int limit = req.getLimit() == 0 ? 1000 : (int) Math.min(req.getLimit(), 100_000);
      return InterchangeLines.newBuilder()
          .addAllLines(verdicts
              .latest(
                  since.atOffset(ZoneOffset.UTC),
                  hostId,
                  req.getModel().isBlank() ? null : req.getModel(),
                  limit)
              .stream()
              .map(VerdictRepository.Row::body)
              .toList())
          .build();
    });
  }

  @Override
  public void pinBaseline(BaselineRequest req, StreamObserver<BaselineResponse> out) {
    answers.audited(
        out,
        "baseline.pin",
        req.getHost(),
        "model " + req.getModel() + " runs " + req.getRunIdsList(),
        () -> baselineResponse(
            baselines.pin(
                req.getHost(),
                req.getModel(),
                req.getRunIdsList(),
                req.hasSince()
                    ? Instant.ofEpochSecond(req.getSince().getSeconds())
                    : clock.instant().minus(java.time.Duration.ofDays(7))),
            0));
  }

  @Override
  public void showBaseline(BaselineRequest req, StreamObserver<BaselineResponse> out) {
    AdminAnswers.answer(
        out, () -> baselineResponse(baselines.show(req.getHost(), req.getModel()), 0));
  }

  @Override
  public void clearBaseline(BaselineRequest req, StreamObserver<BaselineResponse> out) {
    answers.audited(
        out,
        "baseline.clear",
        req.getHost(),
        "model " + req.getModel(),
        () -> baselineResponse(List.of(), baselines.clear(req.getHost(), req.getModel())));
  }
}
