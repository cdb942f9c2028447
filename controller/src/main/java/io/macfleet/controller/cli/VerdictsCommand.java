package io.macfleet.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.proto.v1.InterchangeLines;
import io.macfleet.proto.v1.ListVerdictsRequest;
import io.macfleet.shared.ProtoTime;
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

  @Mixin
  SinceOption since;

  @Mixin
  HostOption host;

  @Option(names = "--model", paramLabel = "M", description = "Only this model.")
  String model;

  @Mixin
  OutputOptions output;

  @Mixin
  LimitOption limits;

  /** One row of the table: the newest of identical verdicts of a host, model and level, and how many there were. */
  record Folded(JsonNode newest, int count) {}

  /**
   * Verdicts that say the same thing (host, model, level, verdict, factors, control and whether it reproduced)
   * as one row with a count, the newest first: a host that stays hot for a day is one line, not forty.
   */
  static List<Folded> fold(List<JsonNode> newestFirst) {
    java.util.Map<String, int[]> counts = new java.util.LinkedHashMap<>();
    java.util.Map<String, JsonNode> newest = new java.util.HashMap<>();
    for (JsonNode v : newestFirst) {
      JsonNode c = v.path("control");
      String key = String.join(
          "\u0000",
          v.path("host").asText(),
          v.path("model").asText(),
          v.path("concurrency").asText(),
          VerdictTables.verdictCell(v),
          v.path("factors").toString(),
          c.isObject() ? c.path("host").asText() + c.path("reproduced").asBoolean() : "-");
      counts.computeIfAbsent(key, k -> new int[1])[0]++;
      newest.putIfAbsent(key, v);
    }
    List<Folded> out = new ArrayList<>();
    counts.forEach((k, n) -> out.add(new Folded(newest.get(k), n[0])));
    return out;
  }

  @Override
  public Integer call() throws IOException {
    Instant from = since.from("7d");
    ListVerdictsRequest req = ListVerdictsRequest.newBuilder()
        .setHost(host.orAll())
        .setModel(model == null ? "" : model)
        .setSince(ProtoTime.of(from))
        .setLimit(limits.value(1000))
        .build();
    InterchangeLines resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listVerdicts(req));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
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
    List<Folded> rows = fold(vs);
    // the run is on each explanation's line below
    Table t = new Table("HOST", "MODEL", "RUN", "LEVEL", "VERDICT", "TIMES", "FACTORS", "CONTROL")
        .wideOnly("RUN")
        .whole("VERDICT");
    for (Folded f : rows) {
      JsonNode v = f.newest();
      List<String> factors = new ArrayList<>();
      v.path("factors").forEach(x -> factors.add(x.asText()));
      t.add(
          v.path("host").asText(),
          v.path("model").asText(),
          v.path("run").asText(),
          v.path("concurrency").asInt() + "-way",
          VerdictTables.verdictCell(v),
          f.count() == 1 ? "1" : f.count() + "×",
          factors.isEmpty() ? "-" : String.join(",", factors),
          VerdictTables.controlCell(v));
    }
    t.print(out, output.wide);
    out.println();
    // each explanation once: the newest of its row
    for (Folded f : rows) {
      JsonNode v = f.newest();
      out.println(Table.escape(v.path("host").asText()) + " "
          + Table.escape(v.path("run").asText()) + " "
          + v.path("concurrency").asInt() + "-way "
          + Table.escape(v.path("verdict").asText()) + ": "
          + Table.escape(v.path("explanation").asText())
          + (f.count() > 1 ? " (and " + (f.count() - 1) + " earlier run(s) alike)" : ""));
      String next = v.path("next_step").asText("");
      if (!next.isEmpty() && !next.equals("none")) {
        out.println("  next: " + Table.escape(next)
            + (v.path("next_command").isTextual()
                ? " — " + Table.escape(v.path("next_command").asText())
                : ""));
      }
    }
    return ExitCodes.OK;
  }
}
