package io.macfleet.controller.cli;

import io.macfleet.proto.v1.AddScheduleRequest;
import io.macfleet.proto.v1.ProbeSpec;
import io.macfleet.proto.v1.Schedule;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "add", mixinStandardHelpOptions = true,
    description = "Replay a probe on a cron schedule. A firing missed while the controller was down runs once "
        + "when it is back.")
final class ScheduleAddCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Schedule name (letters, digits, '.', '_', '-').")
  String name;

  @Option(names = "--cron", required = true, paramLabel = "EXPR",
      description = "Quartz cron, seconds first, e.g. \"0 */15 * * * ?\" (every 15 minutes).")
  String cron;

  @Option(names = "--hosts", required = true, paramLabel = "SELECTOR",
      description = "Host names, labels (role=control), gen=M4 or all; comma-separated for any of them.")
  String hosts;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model tag to probe.")
  String model;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "24", description = "Samples per level (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--concurrency", paramLabel = "LEVELS", split = ",", defaultValue = "1,4",
      description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(names = "--prompt-set", paramLabel = "SET", defaultValue = "short-chat", description = "short-chat, coding, long-context.")
  String promptSet;

  @Option(names = "--num-predict", paramLabel = "N", defaultValue = "64", description = "Tokens per answer.")
  int numPredict;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    ProbeSpec.Builder s = ProbeSpec.newBuilder().setModel(model).setSamples(samples).setPromptSet(promptSet)
        .setNumPredict(numPredict);
    concurrency.forEach(c -> s.addConcurrency(c));
    Schedule created;
    try (AdminClient client = new AdminClient(connection)) {
      created = client.call(st -> st.addSchedule(AddScheduleRequest.newBuilder().setName(name).setCron(cron)
          .setSelector(hosts).setSpec(s).build()));
    }
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Formats.json(created));
    } else {
      ScheduleCommand.print(List.of(created), out);
    }
    return ExitCodes.OK;
  }
}
