package io.macfleet.agent.probe;

import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.proto.v1.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** Samples the host's telemetry every second while a probe runs, and sums up what a verdict needs. */
public final class TelemetrySampler implements AutoCloseable {
  private record Point(long atNanos, Telemetry t) {}

  private final HostCollectors host;
  private final List<Point> points = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean running = true;

  public TelemetrySampler(HostCollectors host, Duration every) {
    this.host = host;
    this.thread = new Thread(
        () -> {
          while (running) {
            long t0 = System.nanoTime();
            host.beforeEachRound().run();
            points.add(new Point(t0, host.telemetry().collect()));
            long left = every.toNanos() - (System.nanoTime() - t0);
            if (left > 0) {
              try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
              } catch (InterruptedException e) {
                return;
              }
            }
          }
        },
        "probe-telemetry");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public ProbeRun.TelemetryDuringRun summary() {
    List<Point> p;
    synchronized (points) {
      p = new ArrayList<>(points);
    }
    if (p.isEmpty()) {
      return new ProbeRun.TelemetryDuringRun(0, "", List.of(), null, null, "", false, "");
    }
    long end = p.get(p.size() - 1).atNanos();
    int worstThermal = 0;
    int worstMemory = 0;
    LinkedHashSet<String> power = new LinkedHashSet<>();
    double sum90 = 0;
    int n90 = 0;
    Double swapMax = null;
    boolean sleptOrWoke = false;
    LinkedHashSet<io.macfleet.proto.v1.Mobility> mobility = new LinkedHashSet<>();
    Telemetry first = p.get(0).t();
    for (Point x : p) {
      Telemetry t = x.t();
      worstThermal = Math.max(worstThermal, t.getThermal().getLevelValue());
      mobility.add(t.getSleep().getMobility());
      worstMemory = Math.max(worstMemory, t.getMemory().getPressureValue());
      if (t.getPower().getSourceValue() != 0) {
        power.add(t.getPower().getSource().name().replace("POWER_", "").toLowerCase(Locale.ROOT));
      }
      if (t.getMemory().hasSwapUsedBytes()) {
        double s = t.getMemory().getSwapUsedBytes();
        swapMax = swapMax == null ? s : Math.max(swapMax, s);
        if (end - x.atNanos() <= 90_000_000_000L) {
          sum90 += s;
          n90++;
        }
      }
      if (!t.getSleep().getLastWake().equals(first.getSleep().getLastWake())
          || !t.getSleep().getLastSleep().equals(first.getSleep().getLastSleep())) {
        sleptOrWoke = true;
      }
    }
    return new ProbeRun.TelemetryDuringRun(
        p.size(),
        worstThermal == 0
            ? ""
            : io.macfleet.proto.v1.ThermalLevel.forNumber(worstThermal)
                .name()
                .replace("THERMAL_", "")
                .toLowerCase(Locale.ROOT),
        List.copyOf(power),
        n90 == 0 ? null : sum90 / n90,
        swapMax,
        worstMemory == 0
            ? ""
            : io.macfleet.proto.v1.MemoryPressure.forNumber(worstMemory)
                .name()
                .replace("MEMORY_", "")
                .toLowerCase(Locale.ROOT),
        sleptOrWoke,
        mobility.contains(io.macfleet.proto.v1.Mobility.MOBILITY_MOBILE)
            ? "mobile"
            : mobility.contains(io.macfleet.proto.v1.Mobility.MOBILITY_DOCKED)
                ? "docked"
                : mobility.contains(io.macfleet.proto.v1.Mobility.MOBILITY_DESKTOP)
                    ? "desktop"
                    : "");
  }
}
