package io.macfleet.controller.cli;

import io.macfleet.proto.v1.Schedule;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description =
        "Scheduled replays (cron, stored in the controller's database); without a subcommand: list.",
    subcommands = {
      ScheduleAddCommand.class,
      ScheduleListCommand.class,
      ScheduleShowCommand.class,
      ScheduleActionCommand.Pause.class,
      ScheduleActionCommand.Resume.class,
      ScheduleActionCommand.Remove.class
    })
final class ScheduleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    return ScheduleListCommand.list(connection, output, spec.commandLine().getOut());
  }

  static void print(List<Schedule> schedules, PrintWriter out, boolean wide) {
    if (schedules.isEmpty()) {
      out.println(
          "no schedules; add one with: macfleet schedule add NAME --cron \"0 */15 * * * ?\" --hosts all --model M");
      return;
    }
    Table t = new Table("NAME", "CRON", "HOSTS", "MODEL", "STATE", "NEXT", "PREVIOUS")
        .wideOnly("PREVIOUS");
    for (Schedule s : schedules) {
      t.add(
          s.getName(),
          s.getCron(),
          s.getSelector(),
          s.getSpec().getModel(),
          s.getState(),
          Formats.local(s.getNextFire()),
          Formats.local(s.getPreviousFire()));
    }
    t.print(out, wide);
  }
}
