package io.macfleet.controller.cli;

import io.macfleet.proto.v1.AddScheduleRequest;
import io.macfleet.proto.v1.ProbeSpec;
import io.macfleet.proto.v1.Schedule;
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
    name = "add",
    mixinStandardHelpOptions = true,
    description =
        "Replay a probe on a cron schedule. A firing missed while the controller was down runs once "
            + "when it is back.")
final class ScheduleAddCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "Schedule name (letters, digits, '.', '_', '-').")
  String name;

  @Option(
      names = "--cron",
      required = true,
      paramLabel = "EXPR",
      description = "Quartz cron, seconds first, e.g. \"0 */15 * * * ?\" (every 15 minutes).")
  String cron;

  @Option(
      names = "--hosts",
      required = true,
      paramLabel = "SELECTOR",
      description =
          "Host names, labels (role=control), gen=M4 or all; comma-separated for any of them.")
  String hosts;

  @Mixin
  ProbeSpecOptions probe;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    ProbeSpec s = probe.toSpec();
    Schedule created;
    try (AdminClient client = new AdminClient(connection)) {
      created = client.call(st -> st.addSchedule(AddScheduleRequest.newBuilder()
          .setName(name)
          .setCron(cron)
          .setSelector(hosts)
          .setSpec(s)
          .build()));
    }
    var out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(created));
    } else {
      ScheduleCommand.print(List.of(created), out, output.wide);
    }
    return ExitCodes.OK;
  }
}
