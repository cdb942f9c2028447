package io.macfleet.agent.collect.linux;

import io.macfleet.agent.collect.Collector;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.Thermal;
import io.macfleet.proto.v1.ThermalLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Thermal zones (/sys/class/thermal) against their own trip points, and cpufreq throttling (the current
 * maximum below the hardware maximum). Level: heavy at a passive trip, trapping at a critical one, moderate
 * when cpufreq is capped, else nominal. VMs usually expose neither: not applicable.
 */
public final class LinuxThermalCollector implements Collector {
  private final Path root;

  public LinuxThermalCollector(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "thermal";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    Double maxC = null;
    ThermalLevel level = ThermalLevel.THERMAL_NOMINAL;
    for (Path zone : list("sys/class/thermal", "thermal_zone")) {
      String z = root.relativize(zone).toString();
      var temp = LinuxFiles.number(root, z + "/temp");
      if (temp.isEmpty()) {
        continue;
      }
      double c = temp.get() / 1000.0;
      maxC = maxC == null ? c : Math.max(maxC, c);
      for (int i = 0; i < 16; i++) {
        var type = LinuxFiles.read(root, z + "/trip_point_" + i + "_type");
        var trip = LinuxFiles.number(root, z + "/trip_point_" + i + "_temp");
        if (type.isEmpty() || trip.isEmpty() || trip.get() <= 0) {
          continue;
        }
        if (temp.get() >= trip.get()) {
          ThermalLevel l = type.get().equals("critical") || type.get().equals("hot")
              ? ThermalLevel.THERMAL_TRAPPING
              : ThermalLevel.THERMAL_HEAVY;
          if (l.getNumber() > level.getNumber()) {
            level = l;
          }
        }
      }
    }
    Integer limit = null;
    for (Path cpu : list("sys/devices/system/cpu", "cpu")) {
      String c = root.relativize(cpu).toString();
      var cur = LinuxFiles.number(root, c + "/cpufreq/scaling_max_freq");
      var max = LinuxFiles.number(root, c + "/cpufreq/cpuinfo_max_freq");
      if (cur.isPresent() && max.isPresent() && max.get() > 0) {
        int pct = (int) Math.round(100.0 * cur.get() / max.get());
        limit = limit == null ? pct : Math.min(limit, pct);
      }
    }
    if (maxC == null && limit == null) {
      throw new NotApplicable("no thermal zones or cpufreq in /sys (typical of a VM)");
    }
    if (limit != null && limit < 100 && level == ThermalLevel.THERMAL_NOMINAL) {
      level = ThermalLevel.THERMAL_MODERATE;
    }
    Thermal.Builder t = into.getThermalBuilder()
        .setLevel(level)
        .setSource("linux")
        .setThrottled(level.getNumber() >= ThermalLevel.THERMAL_MODERATE_VALUE);
    if (maxC != null) {
      t.setMaxZoneCelsius(maxC);
    }
    if (limit != null) {
      t.setCpuSpeedLimitPercent(limit);
    }
  }

  private List<Path> list(String dir, String prefix) throws IOException {
    Path d = root.resolve(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().matches(prefix + "\\d+"))
          .sorted()
          .toList();
    }
  }
}
