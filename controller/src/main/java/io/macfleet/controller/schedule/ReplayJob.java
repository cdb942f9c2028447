package io.macfleet.controller.schedule;

import io.macfleet.controller.fleet.RunService;
import io.macfleet.proto.v1.ProbeSpec;
import java.util.Base64;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A schedule firing: the same replay `macfleet replay` starts, marked "scheduled". */
@DisallowConcurrentExecution
public final class ReplayJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(ReplayJob.class);

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    try {
      RunService runs = (RunService) ctx.getScheduler().getContext().get(ScheduleService.RUNS_KEY);
      var data = ctx.getMergedJobDataMap();
      ProbeSpec spec =
          ProbeSpec.parseFrom(Base64.getDecoder().decode(data.getString(ScheduleService.SPEC)));
      Object metrics = ctx.getScheduler().getContext().get(ScheduleService.METRICS_KEY);
      if (metrics instanceof io.macfleet.controller.ops.ControllerMetrics m
          && ctx.getScheduledFireTime() != null) {
        m.scheduleLag(ctx.getFireTime().getTime() - ctx.getScheduledFireTime().getTime());
      }
      var started = runs.replay(
          data.getString(ScheduleService.SELECTOR),
          spec,
          io.macfleet.controller.interchange.RunPurpose.SCHEDULED.wire());
      log.info(
          "schedule {} fired: {} run(s)", ctx.getJobDetail().getKey().getName(), started.size());
    } catch (SchedulerException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new JobExecutionException(e);
    } catch (io.macfleet.controller.fleet.FleetException e) {
      // no host matching right now is not worth a Quartz retry storm; the next firing tries again
      log.warn(
          "schedule {} could not start runs: {}",
          ctx.getJobDetail().getKey().getName(),
          e.getMessage());
    } catch (RuntimeException e) {
      log.warn(
          "schedule {} could not start runs; the next firing tries again",
          ctx.getJobDetail().getKey().getName(),
          e);
    }
  }
}
