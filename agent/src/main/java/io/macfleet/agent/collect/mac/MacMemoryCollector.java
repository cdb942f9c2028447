package io.macfleet.agent.collect.mac;

import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.MemoryPressure;
import io.macfleet.agent.collect.parse.MemoryPressureParser;
import io.macfleet.agent.collect.parse.SysctlFacts;
import io.macfleet.agent.collect.parse.SysctlParser;
import io.macfleet.agent.collect.parse.VmStat;
import io.macfleet.agent.collect.parse.VmStatParser;
import io.macfleet.proto.v1.Memory;
import io.macfleet.proto.v1.Telemetry;
import java.util.Optional;

/**
 * Swap and the kernel's memory pressure level (sysctl), compressor, pageouts and swapins/outs (vm_stat),
 * free percentage (the bare `memory_pressure`, never `-l`, which creates pressure).
 */
public final class MacMemoryCollector extends MacCollector {
  public MacMemoryCollector(HostCommands commands) {
    super(commands);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public void collect(Telemetry.Builder into) throws Exception {
    Memory.Builder m = into.getMemoryBuilder();
    SysctlFacts f = SysctlParser.facts(SysctlParser.values(require("sysctl")));
    if (f.swap() != null) {
      m.setSwapTotalBytes(f.swap().swapTotalBytes())
          .setSwapUsedBytes(f.swap().swapUsedBytes())
          .setSwapFreeBytes(f.swap().swapFreeBytes());
    }
    if (f.memoryPressure() != null) {
      m.setPressure(
          switch (f.memoryPressure()) {
            case "normal" -> io.macfleet.proto.v1.MemoryPressure.MEMORY_NORMAL;
            case "warn" -> io.macfleet.proto.v1.MemoryPressure.MEMORY_WARN;
            case "critical" -> io.macfleet.proto.v1.MemoryPressure.MEMORY_CRITICAL;
            default -> io.macfleet.proto.v1.MemoryPressure.MEMORY_PRESSURE_UNSPECIFIED;
          });
    }
    Optional<String> vm = optional("vm_stat");
    if (vm.isPresent()) {
      VmStat v = VmStatParser.parse(vm.get());
      if (v.compressorBytes() != null) {
        m.setCompressorBytes(v.compressorBytes());
      }
      setIf(v.counter("pageouts"), m::setPageouts);
      setIf(v.counter("swapins"), m::setSwapins);
      setIf(v.counter("swapouts"), m::setSwapouts);
    }
    Optional<String> mp = optional("memory_pressure");
    if (mp.isPresent()) {
      MemoryPressure p = MemoryPressureParser.parse(mp.get());
      if (p.freePercent() != null) {
        m.setFreePercent(p.freePercent());
      }
    }
  }

  private static void setIf(Long v, java.util.function.LongConsumer set) {
    if (v != null) {
      set.accept(v);
    }
  }
}
