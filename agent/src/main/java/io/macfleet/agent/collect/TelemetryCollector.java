package io.macfleet.agent.collect;

import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.Telemetry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every collector, timing each; one failing never aborts the rest. */
public final class TelemetryCollector {
  private static final Logger log = LoggerFactory.getLogger(TelemetryCollector.class);

  private final List<Collector> collectors;

  public TelemetryCollector(List<Collector> collectors) {
    this.collectors = List.copyOf(collectors);
  }

  public Telemetry collect() {
    Telemetry.Builder t = Telemetry.newBuilder();
    for (Collector c : collectors) {
      long t0 = System.nanoTime();
      CollectorStatus.Builder s = CollectorStatus.newBuilder().setName(c.name());
      try {
        c.collect(t);
        s.setOutcome(CollectorStatus.Outcome.OK);
      } catch (Collector.NotApplicable e) {
        s.setOutcome(CollectorStatus.Outcome.NOT_APPLICABLE).setMessage(e.getMessage());
      } catch (UnrecognisedOutput e) {
        s.setOutcome(CollectorStatus.Outcome.FAILED)
            .setMessage("unrecognised output: " + e.getMessage());
      } catch (Exception | LinkageError e) {
        log.debug("collector {} failed", c.name(), e);
        s.setOutcome(CollectorStatus.Outcome.FAILED)
            .setMessage(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
      t.addCollectors(s.setMillis((int) ((System.nanoTime() - t0) / 1_000_000)));
    }
    t.getSleepBuilder().setMobility(MobilityRule.mobility(t.getPower(), t.getSleep()));
    return t.build();
  }
}
