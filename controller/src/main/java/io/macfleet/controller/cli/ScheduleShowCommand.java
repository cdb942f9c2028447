package io.macfleet.controller.cli;

import io.macfleet.proto.v1.Schedule;
import io.macfleet.proto.v1.ScheduleName;
import io.macfleet.shared.ProtoJson;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "One schedule with its probe options.")
final class ScheduleShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    Schedule s;
    try (AdminClient client = new AdminClient(connection)) {
      s = client.call(
          st -> st.getSchedule(ScheduleName.newBuilder().setName(name).build()));
    }
    var out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(s));
      return ExitCodes.OK;
    }
    ScheduleCommand.print(List.of(s), out, output.wide);
    out.println();
    out.println("probe: " + ProtoJson.json(s.getSpec()).replaceAll("\\s+", " "));
    return ExitCodes.OK;
  }
}
