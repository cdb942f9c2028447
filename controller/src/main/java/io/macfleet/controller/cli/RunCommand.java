package io.macfleet.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.set("summary", ProtoJson.tree(d.getSummary()));
      n.set("spec", ProtoJson.tree(d.getSpec()));
      n.set("run", d.getRunJson().isEmpty() ? null : readTree(d.getRunJson()));
      out.println(ProtoJson.print(n));
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

  /** The agent's record as the controller stored it (JSON it checked on the way in). */
  private static JsonNode readTree(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new CliException(ExitCodes.ERROR, "the controller sent a run record that is not JSON");
    }
  }
}
