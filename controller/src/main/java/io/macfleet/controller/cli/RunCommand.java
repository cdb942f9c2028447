package io.macfleet.controller.cli;

import io.macfleet.proto.v1.GetRunRequest;
import io.macfleet.proto.v1.RunDetail;
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

  @Option(names = "--json", description = "The summary and the agent's full record, as JSON.")
  boolean json;

  @Override
  public Integer call() {
    RunDetail d;
    try (AdminClient client = new AdminClient(connection)) {
      d = client.call(s -> s.getRun(GetRunRequest.newBuilder().setId(id).build()));
    }
    var out = spec.commandLine().getOut();
    if (json) {
      out.println("{\"summary\": " + Formats.json(d.getSummary()) + ",\n\"spec\": "
          + Formats.json(d.getSpec()) + ",\n\"run\": "
          + (d.getRunJson().isEmpty() ? "null" : d.getRunJson()) + "}");
      return ExitCodes.OK;
    }
    if (csv) {
      RunTables.csv(List.of(d.getSummary()), out);
      return ExitCodes.OK;
    }
    RunTables.print(List.of(d.getSummary()), out);
    if (d.getSummary().hasTtftP95Ratio()) {
      out.printf(
          "TTFT p95 ratio (highest level / 1-way): %.2f%n", d.getSummary().getTtftP95Ratio());
    }
    return ExitCodes.OK;
  }
}
