package io.macfleet.agent.collect.mac;

import com.google.protobuf.Timestamp;
import io.macfleet.agent.collect.Collector;
import io.macfleet.agent.collect.HostCommands;
import java.time.Instant;

/** Shared plumbing for macOS collectors: a kind's output, or "not applicable" when the tool is absent. */
abstract class MacCollector implements Collector {
  protected final HostCommands commands;

  MacCollector(HostCommands commands) {
    this.commands = commands;
  }

  protected String require(String kind) throws Collector.NotApplicable, HostCommands.CommandFailed {
    return commands
        .output(kind)
        .orElseThrow(() -> new Collector.NotApplicable("no " + kind + " output here"));
  }

  protected java.util.Optional<String> optional(String kind) {
    try {
      return commands.output(kind);
    } catch (HostCommands.CommandFailed e) {
      return java.util.Optional.empty();
    }
  }

  static Timestamp epoch(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  static Timestamp now() {
    return io.macfleet.shared.ProtoTime.of(Instant.now());
  }
}
