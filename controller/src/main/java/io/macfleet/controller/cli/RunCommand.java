package io.macfleet.controller.cli;

import io.macfleet.proto.v1.GetRunRequest;
import io.macfleet.proto.v1.RunDetail;
import io.macfleet.shared.ProtoJson;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "One probe run: its levels; with --json, every sample, the triple and the telemetry during the run.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "ID", description = "Run id (see `macfleet runs`).")
  String id;

  @Option(names = "--csv", description = "Print CSV, one line per run and level.")
  boolean csv;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    RunDetail d;
    try (AdminClient client = new AdminClient(connection)) {
      d = client.call(s -> s.getRun(GetRunRequest.newBuilder().setId(id).build()));
    }
    var out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.document(g -> {
        g.writeStartObject();
        g.writeFieldName("summary");
        ProtoJson.write(g, d.getSummary());
        g.writeFieldName("spec");
        ProtoJson.write(g, d.getSpec());
        g.writeFieldName("run");
        if (d.getRunJson().isEmpty()) {
          g.writeNull();
        } else if (!ProtoJson.copyRaw(g, d.getRunJson())) {
          throw new CliException(
              ExitCodes.ERROR, "the controller sent a run record that is not JSON");
        }
        g.writeEndObject();
      }));
      return ExitCodes.OK;
    }
    if (csv) {
      RunTables.csv(List.of(d.getSummary()), out);
      return ExitCodes.OK;
    }
    RunTables.print(List.of(d.getSummary()), out, output.wide);
    if (d.getSummary().hasTtftP95Ratio()) {
      out.printf(
          "TTFT p95 ratio (highest level / 1-way): %.2f%n", d.getSummary().getTtftP95Ratio());
    }
    return ExitCodes.OK;
  }
}
