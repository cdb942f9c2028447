package io.macfleet.controller.cli;

import io.macfleet.proto.v1.ListSchedulesRequest;
import io.macfleet.proto.v1.ListSchedulesResponse;
import io.macfleet.shared.ProtoJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Every schedule with its next and previous firing.")
final class ScheduleListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    return list(connection, output, spec.commandLine().getOut());
  }

  static int list(ConnectionOptions connection, OutputOptions output, PrintWriter out) {
    ListSchedulesResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listSchedules(ListSchedulesRequest.getDefaultInstance()));
    }
    if (output.json) {
      out.println(ProtoJson.array(resp.getSchedulesList()));
    } else {
      ScheduleCommand.print(resp.getSchedulesList(), out, output.wide);
    }
    return ExitCodes.OK;
  }
}
