package io.macfleet.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.macfleet.controller.schedule.ScheduleInfo;
import io.macfleet.controller.schedule.ScheduleService;
import io.macfleet.proto.v1.AddScheduleRequest;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.ListSchedulesRequest;
import io.macfleet.proto.v1.ListSchedulesResponse;
import io.macfleet.proto.v1.Schedule;
import io.macfleet.proto.v1.ScheduleName;

/** Scheduled replays. */
final class SchedulesAdmin extends AdminServiceGrpc.AdminServiceImplBase implements AdminPart {
  private final ScheduleService schedules;
  private final AdminAnswers answers;

  SchedulesAdmin(ScheduleService schedules, AdminAnswers answers) {
    this.schedules = schedules;
    this.answers = answers;
  }

  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of(
        AdminServiceGrpc.getAddScheduleMethod().getFullMethodName(),
        AdminServiceGrpc.getListSchedulesMethod().getFullMethodName(),
        AdminServiceGrpc.getGetScheduleMethod().getFullMethodName(),
        AdminServiceGrpc.getPauseScheduleMethod().getFullMethodName(),
        AdminServiceGrpc.getResumeScheduleMethod().getFullMethodName(),
        AdminServiceGrpc.getRemoveScheduleMethod().getFullMethodName());
  }

  private static Schedule schedule(ScheduleInfo s) {
    Schedule.Builder b = Schedule.newBuilder()
        .setName(s.name())
        .setCron(s.cron())
        .setSelector(s.selector())
        .setSpec(s.spec())
        .setState(s.state());
    if (s.nextFire() != null) {
      b.setNextFire(Timestamp.newBuilder().setSeconds(s.nextFire().getEpochSecond()));
    }
    if (s.previousFire() != null) {
      b.setPreviousFire(Timestamp.newBuilder().setSeconds(s.previousFire().getEpochSecond()));
    }
    return b.build();
  }

  @Override
  public void addSchedule(AddScheduleRequest req, StreamObserver<Schedule> out) {
    answers.audited(
        out,
        "schedule.add",
        null,
        req.getName() + " cron '" + req.getCron() + "' hosts " + req.getSelector() + " model "
            + req.getSpec().getModel(),
        () -> schedule(
            schedules.add(req.getName(), req.getCron(), req.getSelector(), req.getSpec())));
  }

  @Override
  public void listSchedules(ListSchedulesRequest req, StreamObserver<ListSchedulesResponse> out) {
    AdminAnswers.answer(
        out,
        () -> ListSchedulesResponse.newBuilder()
            .addAllSchedules(
                schedules.list().stream().map(SchedulesAdmin::schedule).toList())
            .build());
  }

  @Override
  public void getSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    AdminAnswers.answer(out, () -> schedule(schedules.get(req.getName())));
  }

  @Override
  public void pauseSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    answers.audited(
        out, "schedule.pause", null, req.getName(), () -> schedule(schedules.pause(req.getName())));
  }

  @Override
  public void resumeSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    answers.audited(
        out,
        "schedule.resume",
        null,
        req.getName(),
        () -> schedule(schedules.resume(req.getName())));
  }

  @Override
  public void removeSchedule(ScheduleName req, StreamObserver<Schedule> out) {
    answers.audited(
        out, "schedule.rm", null, req.getName(), () -> schedule(schedules.remove(req.getName())));
  }
}
