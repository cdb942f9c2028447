package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the host's environment did during a run window, as the verdict's factors: thermal, sleep, battery,
 * mobile, swap, memory_pressure. Telemetry holds from its time until the next record, so the record in force
 * when the window opens counts too.
 */
public final class EnvironmentSignals {
  public record Signals(List<String> factors, List<String> phrases) {
    public boolean any() {
      return !factors.isEmpty();
    }
  }

  private static final Set<String> HOT = Set.of("moderate", "heavy", "trapping", "sleeping");

  private EnvironmentSignals() {}

  public static Signals during(Dataset d, String host, Instant from, Instant to, Thresholds t) {
    List<Records.Telemetry> window = inForce(d.telemetry(host), from, to);
    Set<String> factors = new LinkedHashSet<>();
    List<String> phrases = new ArrayList<>();
    String worstThermal = null;
    for (Records.Telemetry x : window) {
      if (x.thermalPressure() != null
          && HOT.contains(x.thermalPressure())
          && (worstThermal == null || rank(x.thermalPressure()) > rank(worstThermal))) {
        worstThermal = x.thermalPressure();
      }
    }
    if (worstThermal != null) {
      factors.add("thermal");
      phrases.add(worstThermal + " thermal pressure");
    }
    boolean slept = window.stream().anyMatch(x -> "sleeping".equals(x.thermalPressure()));
    for (Records.Event e : d.events(host)) {
      if (!e.at().isBefore(from)
          && !e.at().isAfter(to)
          && (e.event().equals("sleep") || e.event().equals("wake"))) {
        slept = true;
      }
    }
    if (slept) {
      factors.add("sleep");
      phrases.add("slept or woke during the run");
    }
    if (window.stream().anyMatch(x -> "battery".equals(x.powerSource()))) {
      factors.add("battery");
      phrases.add("on battery");
    }
    if (undocked(d.telemetry(host), window, from)) {
      factors.add("mobile");
      phrases.add("undocked (no external display, had one before)");
    }
    double swap = swapAverage(d.telemetry(host), to.minus(t.swapWindow()), to);
    if (!Double.isNaN(swap) && swap > t.swapAverageBytes()) {
      factors.add("swap");
      phrases.add(String.format(
          "swap %.0f MB on average over the last %d s",
          swap / (1 << 20), t.swapWindow().toSeconds()));
    }
    String mem = null;
    for (Records.Telemetry x : window) {
      if ("critical".equals(x.memoryPressure())
          || ("warn".equals(x.memoryPressure()) && mem == null)) {
        mem = x.memoryPressure();
      }
    }
    if (mem != null) {
      factors.add("memory_pressure");
      phrases.add("memory pressure " + mem);
    }
    return new Signals(List.copyOf(factors), phrases);
  }

  /**
   * The worst mean swap over any window of {@code window} inside [from, to] (the whole run when it is shorter):
   * a run that swapped hard in its middle and recovered by its end still shows it. The mean only changes slope
   * where a record starts or leaves a window, so the windows ending at those instants and at {@code to} are
   * enough. NaN when nothing was measured.
   */
  public static double worstSwapAverage(
      List<Records.Telemetry> all, Instant from, Instant to, java.time.Duration window) {
    if (!to.isAfter(from) || java.time.Duration.between(from, to).compareTo(window) <= 0) {
      return swapAverage(all, from, to);
    }
    Instant firstEnd = from.plus(window);
    java.util.TreeSet<Instant> ends = new java.util.TreeSet<>(List.of(firstEnd, to));
    for (Records.Telemetry x : inForce(all, from, to)) {
      for (Instant e : new Instant[] {x.at(), x.at().plus(window)}) {
        if (!e.isBefore(firstEnd) && !e.isAfter(to)) {
          ends.add(e);
        }
      }
    }
    double worst = Double.NaN;
    for (Instant e : ends) {
      double avg = swapAverage(all, e.minus(window), e);
      if (!Double.isNaN(avg) && (Double.isNaN(worst) || avg > worst)) {
        worst = avg;
      }
    }
    return worst;
  }

  /** The mean swap over [from, to], each record weighted by how long it held. NaN when nothing was measured. */
  public static double swapAverage(List<Records.Telemetry> all, Instant from, Instant to) {
    double weighted = 0;
    double span = 0;
    List<Records.Telemetry> w = inForce(all, from, to);
    for (int i = 0; i < w.size(); i++) {
      Records.Telemetry x = w.get(i);
      if (x.swapUsedBytes() == null) {
        continue;
      }
      Instant start = x.at().isBefore(from) ? from : x.at();
      Instant end = i + 1 < w.size() ? w.get(i + 1).at() : to;
      double secs = Math.max(0.001, (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
      weighted += x.swapUsedBytes() * secs;
      span += secs;
    }
    return span == 0 ? Double.NaN : weighted / span;
  }

  private static boolean undocked(
      List<Records.Telemetry> all, List<Records.Telemetry> window, Instant from) {
    boolean nowWithout = window.stream().anyMatch(x -> Boolean.FALSE.equals(x.externalDisplay()));
    if (!nowWithout) {
      return false;
    }
    for (Records.Telemetry x : all) {
      if (!x.at().isBefore(from)) {
        break;
      }
      if (Boolean.TRUE.equals(x.externalDisplay())) {
        return true;
      }
    }
    return false;
  }

  /** Records inside [from, to] plus the last one before from (it still held when the window opened). */
  static List<Records.Telemetry> inForce(List<Records.Telemetry> sorted, Instant from, Instant to) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) { // first record at or after from
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).at().isBefore(from)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    List<Records.Telemetry> out = new ArrayList<>();
    // the record before the window is the state in force at its start, unless one is stamped
    // exactly then
    if (lo > 0 && (lo == sorted.size() || sorted.get(lo).at().isAfter(from))) {
      out.add(sorted.get(lo - 1));
    }
    for (int i = lo; i < sorted.size() && !sorted.get(i).at().isAfter(to); i++) {
      out.add(sorted.get(i));
    }
    return out;
  }

  private static int rank(String thermal) {
    return switch (thermal) {
      case "moderate" -> 1;
      case "heavy" -> 2;
      case "trapping" -> 3;
      case "sleeping" -> 4;
      default -> 0;
    };
  }
}
