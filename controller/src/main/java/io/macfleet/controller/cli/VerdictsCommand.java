package io.macfleet.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.macfleet.proto.v1.InterchangeLines;
import io.macfleet.proto.v1.ListVerdictsRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verdicts",
    mixinStandardHelpOptions = true,
    description = "What the controller concluded about "
        + "each finished run, per concurrency level: environment or regression, with numbers, control run and "
        + "explanation (the newest verdict of each run).")
final class VerdictsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "7d",
      description =
          "A duration back from now (24h, 7d) or an ISO time (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = "--host", paramLabel = "HOST", description = "Only this host.")
  String host;

  @Option(names = "--model", paramLabel = "M", description = "Only this model.")
  String model;

  @Option(
      names = "--json",
      description = "One verdict object per line, as in the interchange format.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Instant from = TimeArg.since(since, Instant.now());
    ListVerdictsRequest req = ListVerdictsRequest.newBuilder()
        .setHost(host == null ? "" : host)
        .setModel(model == null ? "" : model)
        .setSince(Timestamp.newBuilder().setSeconds(from.getEpochSecond()))
        .build();
    InterchangeLines resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listVerdicts(req));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      resp.getLinesList().forEach(out::println);
      return ExitCodes.OK;
    }
    if (resp.getLinesCount() == 0) {
      out.println("no verdicts since " + from);
      return ExitCodes.OK;
    }
    List<JsonNode> vs = new ArrayList<>();
    for (String l : resp.getLinesList()) {
      vs.add(JSON.readTree(l));
    }
    Table t = new Table("HOST", "MODEL", "RUN", "LEVEL", "VERDICT", "FACTORS", "CONTROL");
    for (JsonNode v : vs) {
      List<String> factors = new ArrayList<>();
      v.path("factors").forEach(f -> factors.add(f.asText()));
      JsonNode c = v.path("control");
      t.add(
          v.path("host").asText(),
          v.path("model").asText(),
          v.path("run").asText(),
          v.path("concurrency").asInt() + "-way",
          v.path("verdict").asText(),
          factors.isEmpty() ? "-" : String.join(",", factors),
          c.isObject()
              ? c.path("host").asText()
                  + (c.path("reproduced").asBoolean() ? " (reproduced)" : " (flat)")
              : "-");
    }
    t.print(out);
    out.println();
    for (JsonNode v : vs) {
      out.println(Table.escape(v.path("host").asText()) + " "
          + Table.escape(v.path("run").asText()) + " "
          + v.path("concurrency").asInt() + "-way "
          + Table.escape(v.path("verdict").asText()) + ": "
          + Table.escape(v.path("explanation").asText()));
    }
    return ExitCodes.OK;
  }
}
