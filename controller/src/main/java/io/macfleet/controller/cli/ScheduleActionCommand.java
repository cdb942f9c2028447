package io.macfleet.controller.cli;

import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.Schedule;
import io.macfleet.proto.v1.ScheduleName;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** pause, resume and rm: one schedule by name, then the schedule as it is afterwards (or was, for rm). */
abstract class ScheduleActionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  abstract BiFunction<AdminServiceGrpc.AdminServiceBlockingStub, ScheduleName, Schedule> action();

  abstract String verb();

  @Override
  public Integer call() {
    Schedule s;
    try (AdminClient client = new AdminClient(connection)) {
      s = client.call(
          st -> action().apply(st, ScheduleName.newBuilder().setName(name).build()));
    }
    spec.commandLine()
        .getOut()
        .println(verb() + " " + s.getName()
            + (verb().equals("removed") ? "" : " (" + s.getState() + ")"));
    return ExitCodes.OK;
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop a schedule firing until resumed.")
  static final class Pause extends ScheduleActionCommand {
    BiFunction<AdminServiceGrpc.AdminServiceBlockingStub, ScheduleName, Schedule> action() {
      return AdminServiceGrpc.AdminServiceBlockingStub::pauseSchedule;
    }

    String verb() {
      return "paused";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Let a paused schedule fire again.")
  static final class Resume extends ScheduleActionCommand {
    BiFunction<AdminServiceGrpc.AdminServiceBlockingStub, ScheduleName, Schedule> action() {
      return AdminServiceGrpc.AdminServiceBlockingStub::resumeSchedule;
    }

    String verb() {
      return "resumed";
    }
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Delete a schedule (its runs stay).")
  static final class Remove extends ScheduleActionCommand {
    BiFunction<AdminServiceGrpc.AdminServiceBlockingStub, ScheduleName, Schedule> action() {
      return AdminServiceGrpc.AdminServiceBlockingStub::removeSchedule;
    }

    String verb() {
      return "removed";
    }
  }
}
