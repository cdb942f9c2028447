package io.macfleet.controller.cli;

import io.macfleet.proto.v1.GetReportRequest;
import io.macfleet.proto.v1.LevelResult;
import io.macfleet.proto.v1.Report;
import io.macfleet.proto.v1.ReportRow;
import io.macfleet.shared.ProtoJson;
import io.macfleet.shared.ProtoTime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Per host and concurrency level, the newest completed run of a model: N, TTFT p50/p95, prefill "
            + "and decode p50, the N-way/1-way TTFT p95 ratio.")
final class ReportCommand implements Callable<Integer> {
  private static final io.macfleet.controller.verdict.Thresholds RUNBOOK =
      io.macfleet.controller.verdict.Thresholds.defaults();

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model tag.")
  String model;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "7d",
      description = "Runs finished since (90m, 24h, 7d or an ISO time; default: ${DEFAULT-VALUE}).")
  String since;

  @Mixin
  OutputOptions output;

  @Option(names = "--csv", description = "Print CSV.")
  boolean csv;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write one self-contained HTML page with plots: "
          + "TTFT and decode over time per host with thermal, power and sleep shaded, N-way vs 1-way, and before/after "
          + "distributions for each verdict.")
  java.nio.file.Path html;

  @Option(
      names = "--input",
      paramLabel = "FILE",
      description = "With --html: draw an interchange file (verdicts "
          + "judged offline) instead of asking the controller.")
  String input;

  @Override
  public Integer call() throws java.io.IOException {
    Instant from = TimeArg.since(since, Instant.now());
    if (html != null) {
      return writeHtml(from);
    }
    if (input != null) {
      throw new CliException(ExitCodes.USAGE, "--input goes with --html");
    }
    Report r;
    try (AdminClient client = new AdminClient(connection)) {
      r = client.call(s -> s.getReport(GetReportRequest.newBuilder()
          .setModel(model)
          .setSince(ProtoTime.of(from))
          .build()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(r));
      return ExitCodes.OK;
    }
    if (csv) {
      Csv table = new Csv(
          out,
          "host",
          "run",
          "finished_at",
          "concurrency",
          "samples",
          "errors",
          "ttft_p50_ms",
          "ttft_p95_ms",
          "prefill_p50_tps",
          "decode_p50_tps",
          "ttft_p95_ratio");
      for (ReportRow row : r.getRowsList()) {
        LevelResult l = row.getLevel();
        table.row(
            row.getHost(),
            row.getRunId(),
            Formats.instant(row.getFinishedAt()),
            Integer.toString(l.getConcurrency()),
            Integer.toString(l.getSamples()),
            Integer.toString(l.getErrors()),
            l.hasTtftP50Ms() ? Double.toString(l.getTtftP50Ms()) : "",
            l.hasTtftP95Ms() ? Double.toString(l.getTtftP95Ms()) : "",
            l.hasPrefillP50Tps() ? Double.toString(l.getPrefillP50Tps()) : "",
            l.hasDecodeP50Tps() ? Double.toString(l.getDecodeP50Tps()) : "",
            row.hasTtftP95Ratio() ? Double.toString(row.getTtftP95Ratio()) : "");
      }
      return ExitCodes.OK;
    }
    if (r.getRowsCount() == 0) {
      out.println("no completed runs of " + model + " since " + from);
      return ExitCodes.OK;
    }
    Table t = new Table(
            "HOST",
            "LEVEL",
            RunTables.LEVEL_COLUMNS[0],
            RunTables.LEVEL_COLUMNS[1],
            RunTables.LEVEL_COLUMNS[2],
            RunTables.LEVEL_COLUMNS[3],
            RunTables.LEVEL_COLUMNS[4],
            RunTables.LEVEL_COLUMNS[5],
            "RATIO ×",
            "RUN")
        .wideOnly("N", "prefill tok/s");
    for (ReportRow row : r.getRowsList()) {
      LevelResult l = row.getLevel();
      String[] cells = RunTables.levelCells(l);
      t.add(
          row.getHost(),
          l.getConcurrency() + "-way",
          cells[0],
          cells[1],
          cells[2],
          cells[3],
          cells[4],
          cells[5],
          row.hasTtftP95Ratio() && l.getConcurrency() > 1
              ? Formats.pastLimit(
                  String.format(java.util.Locale.ROOT, "%.2f", row.getTtftP95Ratio()),
                  row.getTtftP95Ratio() > RUNBOOK.concurrencyRatio())
              : "",
          row.getRunId());
    }
    t.print(out, output.wide);
    if (r.getRowsList().stream()
        .anyMatch(x -> x.hasTtftP95Ratio() && x.getTtftP95Ratio() > RUNBOOK.concurrencyRatio())) {
      out.println("! past the runbook's limit (N-way TTFT p95 over " + RUNBOOK.concurrencyRatio()
          + " × the 1-way)");
    }
    return ExitCodes.OK;
  }

  private int writeHtml(Instant from) throws java.io.IOException {
    io.macfleet.controller.verdict.Thresholds t =
        io.macfleet.controller.verdict.Thresholds.defaults();
    io.macfleet.controller.interchange.Dataset d;
    java.util.List<com.fasterxml.jackson.databind.JsonNode> verdicts = new java.util.ArrayList<>();
    String source;
    if (input != null) {
      d = InterchangeFiles.dataset(input, spec.commandLine().getErr());
      for (var v : new io.macfleet.controller.verdict.VerdictEngine(t).judgeLatest(d)) {
        if (v.model().equals(model)) {
          verdicts.add(v.toJson());
        }
      }
      source = "Drawn from " + input + " (verdicts judged offline)";
    } else {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      try (AdminClient client = new AdminClient(connection)) {
        d = client.dataset(model, from);
        var lines =
            client.call(s -> s.listVerdicts(io.macfleet.proto.v1.ListVerdictsRequest.newBuilder()
                .setModel(model)
                .setSince(ProtoTime.of(from))
                .build()));
        for (String l : lines.getLinesList()) {
          verdicts.add(mapper.readTree(l));
        }
      }
      source = "From controller " + connection.target() + ", runs since " + from;
    }
    String page = HtmlReport.render(model, d, verdicts, t, source);
    SharedFile.write(html, w -> w.write(page));
    int plots = page.split("<svg class=\"plot\"", -1).length - 1;
    spec.commandLine()
        .getOut()
        .println("wrote " + html + " (" + plots + " plots, " + verdicts.size() + " verdicts)");
    return ExitCodes.OK;
  }
}
