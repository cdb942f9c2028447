package io.macfleet.controller.schedule;

import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.Names;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.proto.v1.ProbeSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.DBConnectionManager;

/**
 * Scheduled replays on Quartz with its JDBC job store in the controller's database, so schedules survive
 * restarts. A firing missed while the controller was down runs once when it is back (fire-and-proceed).
 * The instance id is stable (AUTO ids stall triggers after restarts).
 */
public final class ScheduleService implements AutoCloseable {
  static final String RUNS_KEY = "macfleet.runs";
  static final String METRICS_KEY = "macfleet.metrics";
  static final String SELECTOR = "selector";
  static final String SPEC = "spec";
  private static final String GROUP = "replays";

  private final Scheduler scheduler;

  /**
   * The scheduler is named after the fleet database (a name stored in it at first start): stable across
   * restarts, shared by every controller on that database, and distinct from any other controller in the
   * same JVM (Quartz keeps one scheduler per name per JVM).
   */
  public ScheduleService(DataSource ds, RunService runs, String instanceId)
      throws SchedulerException {
    this(ds, runs, instanceId, new io.macfleet.controller.store.H2Dialect());
  }

  /** On a shared database (PostgreSQL) Quartz runs clustered, so each firing happens on one controller only. */
  public ScheduleService(
      DataSource ds,
      RunService runs,
      String instanceId,
      io.macfleet.controller.store.Dialect dialect)
      throws SchedulerException {
    String name = SchedulerName.of(ds);
    DBConnectionManager.getInstance().addConnectionProvider(name, new QuartzConnections(ds));
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.setProperty("org.quartz.scheduler.instanceId", instanceId);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", dialect.quartzDelegate());
    if (dialect.clustered()) {
      p.setProperty("org.quartz.jobStore.isClustered", "true");
      p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
    }
    p.setProperty("org.quartz.jobStore.dataSource", name);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    StdSchedulerFactory f = new StdSchedulerFactory(p);
    this.scheduler = f.getScheduler();
    scheduler.getContext().put(RUNS_KEY, runs);
    scheduler.start();
  }

  /** Scheduler lag goes to these metrics from now on. */
  public void metrics(io.macfleet.controller.ops.ControllerMetrics metrics) {
    try {
      scheduler.getContext().put(METRICS_KEY, metrics);
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For readiness: started and not shut down. */
  public boolean running() {
    try {
      return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
    } catch (SchedulerException e) {
      return false;
    }
  }

  public ScheduleInfo add(String name, String cron, String selector, ProbeSpec spec) {
    Names.host(name); // the same safe grammar as host names
    if (!CronExpression.isValidExpression(cron)) {
      throw new FleetException(
          FleetException.Kind.INVALID,
          "'" + Names.printable(cron) + "' is not a Quartz cron "
              + "expression (seconds first: \"0 */15 * * * ?\" is every 15 minutes)");
    }
    io.macfleet.controller.fleet.Selector.hosts(selector);
    if (spec.getModel().isBlank()) {
      throw new FleetException(FleetException.Kind.INVALID, "--model is required");
    }
    try {
      JobKey key = JobKey.jobKey(name, GROUP);
      if (scheduler.checkExists(key)) {
        throw new FleetException(
            FleetException.Kind.CONFLICT, "a schedule named " + name + " exists; remove it first");
      }
      JobDetail job = JobBuilder.newJob(ReplayJob.class)
          .withIdentity(key)
          .usingJobData(SELECTOR, selector)
          .usingJobData(SPEC, Base64.getEncoder().encodeToString(spec.toByteArray()))
          .build();
      Trigger trigger = TriggerBuilder.newTrigger()
          .withIdentity(name, GROUP)
          .forJob(key)
          .withSchedule(
              CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionFireAndProceed())
          .build();
      scheduler.scheduleJob(job, trigger);
      return get(name);
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "could not store schedule " + name + ": " + e.getMessage(), e);
    }
  }

  public List<ScheduleInfo> list() {
    try {
      List<ScheduleInfo> out = new ArrayList<>();
      for (JobKey k : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
        // a cron that can never fire again (one with a year) is gone after its last firing
        if (scheduler.getTrigger(TriggerKey.triggerKey(k.getName(), GROUP)) != null) {
          out.add(get(k.getName()));
        }
      }
      out.sort((a, b) -> a.name().compareTo(b.name()));
      return out;
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  public ScheduleInfo get(String name) {
    try {
      JobDetail job = scheduler.getJobDetail(JobKey.jobKey(name, GROUP));
      Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(name, GROUP));
      if (job == null || t == null) {
        throw new FleetException(
            FleetException.Kind.NOT_FOUND,
            "no schedule named '" + Names.printable(name) + "'; see `macfleet schedule list`");
      }
      ProbeSpec spec =
          ProbeSpec.parseFrom(Base64.getDecoder().decode(job.getJobDataMap().getString(SPEC)));
      return new ScheduleInfo(
          name,
          ((CronTrigger) t).getCronExpression(),
          job.getJobDataMap().getString(SELECTOR),
          spec,
          state(scheduler.getTriggerState(t.getKey())),
          t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant(),
          t.getPreviousFireTime() == null ? null : t.getPreviousFireTime().toInstant());
    } catch (SchedulerException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Quartz's BLOCKED means "its job is running right now" (one at a time); say so. */
  static String state(Trigger.TriggerState s) {
    return switch (s) {
      case BLOCKED -> "running";
      default -> s.name().toLowerCase(Locale.ROOT);
    };
  }

  public ScheduleInfo pause(String name) {
    get(name);
    try {
      scheduler.pauseTrigger(TriggerKey.triggerKey(name, GROUP));
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
    return get(name);
  }

  public ScheduleInfo resume(String name) {
    get(name);
    try {
      scheduler.resumeTrigger(TriggerKey.triggerKey(name, GROUP));
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
    return get(name);
  }

  public ScheduleInfo remove(String name) {
    ScheduleInfo s = get(name);
    try {
      scheduler.deleteJob(JobKey.jobKey(name, GROUP));
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
    return s;
  }

  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException ignored) {
      // stopping anyway
    }
  }
}
