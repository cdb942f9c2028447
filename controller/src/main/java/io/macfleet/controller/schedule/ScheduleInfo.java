package io.macfleet.controller.schedule;

import io.macfleet.proto.v1.ProbeSpec;
import java.time.Instant;

/** A schedule as the CLI shows it; times are null when not applicable. */
public record ScheduleInfo(
    String name,
    String cron,
    String selector,
    ProbeSpec spec,
    String state,
    Instant nextFire,
    Instant previousFire) {}
