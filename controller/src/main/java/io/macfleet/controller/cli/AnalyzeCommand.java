package io.macfleet.controller.cli;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.verdict.Verdict;
import io.macfleet.controller.verdict.VerdictEngine;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = "Judge an interchange file offline, "
        + "with the controller's verdict engine and no controller: each host × model × prompt set's newest run "
        + "against its baseline, one verdict per concurrency level.")
final class AnalyzeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "NDJSON interchange file, or - " + "for standard input.")
  String input;

  @Mixin
  OutputOptions output;

  @Mixin
  ThresholdOptions thresholds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    VerdictEngine engine = new VerdictEngine(thresholds.thresholds());
    Dataset d = InterchangeFiles.dataset(input, spec.commandLine().getErr());
    List<Verdict> verdicts = engine.judgeLatest(d);
    if (output.json) {
      verdicts.forEach(v -> out.println(v.toJson().toString()));
    } else {
      VerdictTables.print(verdicts, out, output.wide);
    }
    return ExitCodes.OK;
  }
}
