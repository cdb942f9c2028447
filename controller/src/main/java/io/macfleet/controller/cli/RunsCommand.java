package io.macfleet.controller.cli;

import io.macfleet.proto.v1.ListRunsRequest;
import io.macfleet.proto.v1.ListRunsResponse;
import io.macfleet.shared.ProtoJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "Probe runs, newest first, one row per level.")
final class RunsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  HostOption host;

  @Option(names = "--model", paramLabel = "NAME", description = "Only this model.")
  String model;

  @Mixin
  LimitOption limits;

  @Option(names = "--csv", description = "Print CSV, one line per run and level.")
  boolean csv;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    ListRunsResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listRuns(ListRunsRequest.newBuilder()
          .setHost(host.orAll())
          .setModel(model == null ? "" : model)
          .setLimit(limits.value(50))
          .build()));
    }
    if (output.json) {
      spec.commandLine().getOut().println(ProtoJson.array(resp.getRunsList()));
    } else if (csv) {
      RunTables.csv(resp.getRunsList(), spec.commandLine().getOut());
    } else {
      RunTables.print(resp.getRunsList(), spec.commandLine().getOut(), output.wide);
    }
    return ExitCodes.OK;
  }
}
