package io.macfleet.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.verdict.Gate;
import io.macfleet.controller.verdict.RunSelector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = "The runbook's gates for a change ticket "
        + "or CI: N ≥ 24 samples a side, N-way/1-way TTFT p95 ≤ 2.8, 90-second swap average ≤ 768 MB, no regression "
        + "past the effect threshold; Gate A (candidates run the baseline's digest, every host declares one dtype) "
        + "and Gate C (callers ask no more at once than the probes measured, no truncated prompts). Exit 0 pass, "
        + "1 fail, 2 insufficient data. Against the controller, or a file with --input.",
    footer = {
      "",
      "Selectors: host names, key=value labels (role=control), gen=M4, all (comma-separated), or "
          + "run:ID[,ID] for exact runs.",
      "Example: macfleet gate --model qwen3:8b --baseline role=control " + "--candidate mini-07"
    })
final class GateCommand implements Callable<Integer> {
  /** A figure longer than this (a digest per host) goes on its own line under the table, not in it. */
  private static final int LONG_FIGURE = 24;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  ThresholdOptions thresholds;

  @Option(names = "--model", required = true, paramLabel = "M")
  String model;

  @Option(names = "--baseline", required = true, paramLabel = "SELECTOR")
  String baseline;

  @Option(names = "--candidate", required = true, paramLabel = "SELECTOR")
  String candidate;

  @Option(
      names = "--input",
      paramLabel = "FILE",
      description = "Judge this interchange file instead of asking " + "the controller.")
  String input;

  @Mixin
  SinceOption since;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    RunSelector base = RunSelector.parse(baseline);
    RunSelector cand = RunSelector.parse(candidate);
    Dataset d;
    if (input != null) {
      d = InterchangeFiles.dataset(input, spec.commandLine().getErr());
    } else {
      try (AdminClient client = new AdminClient(connection)) {
        d = client.dataset(model, since.from("30d"));
      }
    }
    // a side that names no host is a mistake, as with every other selector: exit 5, not
    // "insufficient data"
    d.index();
    for (var side : java.util.List.of(
        java.util.Map.entry("--baseline", base), java.util.Map.entry("--candidate", cand))) {
      if (!side.getValue().byRun() && side.getValue().hostNames(d).isEmpty()) {
        throw new CliException(
            ExitCodes.NOT_FOUND,
            "no host matches " + side.getKey() + " '"
                + Table.escape(side.getValue().text()) + "' in the data for "
                + Table.escape(model));
      }
    }
    Gate.Outcome o = Gate.evaluate(d, model, base, cand, thresholds.thresholds());
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      ObjectNode n = new ObjectMapper()
          .createObjectNode()
          .put("model", model)
          .put("baseline", baseline)
          .put("candidate", candidate)
          .put("outcome", o.result().wire());
      o.baselineRuns().forEach(n.putArray("baseline_runs")::add);
      o.candidateRuns().forEach(n.putArray("candidate_runs")::add);
      var rules = n.putArray("rules");
      for (Gate.Rule r : o.rules()) {
        rules
            .addObject()
            .put("rule", r.rule())
            .put("level", r.level())
            .put("figure", r.figure())
            .put("limit", r.limit())
            .put("result", r.result().wire())
            .put("next_step", r.nextStep() == null ? null : r.nextStep().wire());
      }
      out.println(n.toString());
    } else {
      out.println("gate for " + model + ": baseline " + baseline + " ("
          + o.baselineRuns().size() + " runs), " + "candidate " + candidate + " ("
          + o.candidateRuns().size() + " runs)");
      Table t = new Table("RULE", "LEVEL", "FIGURE", "LIMIT", "RESULT");
      List<String> figures = new ArrayList<>();
      for (Gate.Rule r : o.rules()) {
        String level = r.level() == 0 ? "-" : r.level() + "-way";
        String figure = r.figure();
        if (!output.wide && figure.length() > LONG_FIGURE) {
          figures.add(r.rule() + " " + level + ": " + figure);
          figure = "(below)";
        }
        t.add(r.rule(), level, figure, r.limit(), r.result().wire());
      }
      t.print(out, output.wide);
      figures.forEach(f -> out.println(Table.escape(f)));
      java.util.Map<String, java.util.List<String>> steps = new java.util.LinkedHashMap<>();
      for (Gate.Rule r : o.rules()) {
        if (r.nextStep() != null) {
          steps
              .computeIfAbsent(r.nextStep().wire(), k -> new java.util.ArrayList<>())
              .add(r.rule());
        }
      }
      steps.forEach(
          (step, why) -> out.println("next step: " + step + " (" + String.join(", ", why) + ")"));
      out.println("outcome: " + o.result().wire());
    }
    return switch (o.result()) {
      case PASS, NOT_MEASURED -> ExitCodes.OK;
      case FAIL -> 1;
      case INSUFFICIENT_DATA -> 2;
    };
  }
}
