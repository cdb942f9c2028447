package io.macfleet.controller.cli;

import io.macfleet.proto.v1.GetRunRequest;
import io.macfleet.proto.v1.ProbeSpec;
import io.macfleet.proto.v1.ReplayRequest;
import io.macfleet.proto.v1.ReplayResponse;
import io.macfleet.proto.v1.RunStatus;
import io.macfleet.proto.v1.RunSummary;
import io.macfleet.shared.ProtoJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Run a probe now on the selected hosts, through their agents; offline hosts get a missed run.")
final class ReplayCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(
      index = "0",
      paramLabel = "SELECTOR",
      description =
          "Host names, labels (role=control), gen=M4 or all; comma-separated for any of them.")
  String selector;

  @Mixin
  ProbeSpecOptions probe;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "Wait up to this long for the "
              + "runs to finish, then show their results (default: do not wait; a bare number is seconds).")
  String waitFor;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() throws InterruptedException {
    long waitSeconds = DurationArg.parse("--wait", waitFor, "s").toSeconds();
    ProbeSpec s = probe.toSpec();
    List<RunSummary> runs;
    try (AdminClient client = new AdminClient(connection)) {
      ReplayResponse resp = client.call(st ->
          st.replay(ReplayRequest.newBuilder().setSelector(selector).setSpec(s).build()));
      runs = new ArrayList<>(resp.getRunsList());
      long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
      while (waitSeconds > 0
          && System.nanoTime() < deadline
          && runs.stream()
              .anyMatch(r -> r.getStatus() == RunStatus.RUN_REQUESTED
                  || r.getStatus() == RunStatus.RUN_RUNNING)) {
        Thread.sleep(500);
        for (int i = 0; i < runs.size(); i++) {
          String id = runs.get(i).getId();
          runs.set(
              i,
              client
                  .call(st -> st.getRun(GetRunRequest.newBuilder().setId(id).build()))
                  .getSummary());
        }
      }
    }
    var out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.array(runs));
    } else {
      RunTables.print(runs, out, output.wide);
    }
    // scripts see a run that did not succeed without reading the table
    boolean anyFailed = runs.stream()
        .map(RunSummary::getStatus)
        .anyMatch(st -> st == RunStatus.RUN_FAILED
            || st == RunStatus.RUN_MISSED
            || st == RunStatus.RUN_INCOMPLETE);
    return anyFailed ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
  }
}
