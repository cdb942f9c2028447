package io.macfleet.agent.collect.linux;

import com.google.protobuf.Timestamp;
import io.macfleet.agent.collect.Collector;
import io.macfleet.proto.v1.Telemetry;
import java.nio.file.Path;
import java.time.Instant;

/** /proc/uptime: seconds since boot; boot time follows. */
public final class LinuxUptimeCollector implements Collector {
  private final Path root;

  public LinuxUptimeCollector(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "uptime";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    String up = LinuxFiles.read(root, "proc/uptime")
        .orElseThrow(() -> new NotApplicable("no /proc/uptime"));
    long seconds = (long) Double.parseDouble(up.split("\\s+")[0]);
    into.setUptimeSeconds(seconds);
    into.setBootTime(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() - seconds));
  }
}
