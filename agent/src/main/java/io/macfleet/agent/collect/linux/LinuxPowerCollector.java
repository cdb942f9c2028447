package io.macfleet.agent.collect.linux;

import io.macfleet.agent.collect.Collector;
import io.macfleet.proto.v1.Power;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.Telemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** /sys/class/power_supply: mains online, battery capacity and status. Servers and VMs have none. */
public final class LinuxPowerCollector implements Collector {
  private final Path root;

  public LinuxPowerCollector(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "power";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    Path dir = root.resolve("sys/class/power_supply");
    if (!Files.isDirectory(dir)) {
      throw new NotApplicable("no /sys/class/power_supply");
    }
    Boolean mainsOnline = null;
    Power.Builder p = into.getPowerBuilder();
    boolean battery = false;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path supply : s.sorted().toList()) {
        String rel = root.relativize(supply).toString();
        String type = LinuxFiles.read(root, rel + "/type").orElse("");
        if (type.equals("Mains") || type.equals("USB")) {
          boolean online = LinuxFiles.number(root, rel + "/online").orElse(0L) == 1;
          mainsOnline = (mainsOnline != null && mainsOnline) || online;
        } else if (type.equals("Battery") && !battery) {
          battery = true;
          LinuxFiles.number(root, rel + "/capacity")
              .ifPresent(c -> p.setBatteryPercent(c.intValue()));
          LinuxFiles.read(root, rel + "/status")
              .ifPresent(st -> p.setChargingState(st.toLowerCase(Locale.ROOT)));
        }
      }
    }
    if (mainsOnline == null && !battery) {
      throw new NotApplicable("no power supplies reported (a server or VM)");
    }
    p.setHasBattery(battery);
    boolean onAc = mainsOnline != null ? mainsOnline : !"discharging".equals(p.getChargingState());
    p.setSource(onAc ? PowerSource.POWER_AC : PowerSource.POWER_BATTERY);
  }
}
