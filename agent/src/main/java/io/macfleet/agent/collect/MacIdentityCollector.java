package io.macfleet.agent.collect;

import io.macfleet.agent.collect.parse.Chip;
import io.macfleet.agent.collect.parse.ChipParser;
import io.macfleet.agent.collect.parse.IoregParser;
import io.macfleet.agent.collect.parse.SwVersParser;
import io.macfleet.agent.collect.parse.SysctlFacts;
import io.macfleet.agent.collect.parse.SysctlParser;
import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import io.macfleet.proto.v1.HostIdentity;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** macOS identity from sw_vers, sysctl and ioreg (live or replayed). */
public final class MacIdentityCollector implements IdentityCollector {
  private static final Logger log = LoggerFactory.getLogger(MacIdentityCollector.class);

  private final HostCommands commands;

  public MacIdentityCollector(HostCommands commands) {
    this.commands = commands;
  }

  @Override
  public HostIdentity collect() {
    HostIdentity.Builder b = IdentityCollector.fromJvm();
    output("sw_vers")
        .flatMap(SwVersParser::parse)
        .ifPresent(v -> b.setOsName(v.productName().isEmpty() ? "macOS" : v.productName())
            .setOsVersion(v.productVersion())
            .setOsExtra(v.productVersionExtra())
            .setOsBuild(v.buildVersion()));
    output("sysctl").ifPresent(out -> {
      try {
        SysctlFacts f = SysctlParser.facts(SysctlParser.values(out));
        if (f.hwModel() != null) {
          b.setModelId(f.hwModel());
        }
        if (f.memsizeBytes() != null) {
          b.setMemoryBytes(f.memsizeBytes());
        }
        Chip chip = ChipParser.parse(f.cpuBrand());
        b.setCpuBrand(chip.brand()).setChipGeneration(chip.generation()).setChipTier(chip.tier());
        String ncpu = f.values().get("hw.ncpu");
        if (ncpu != null && ncpu.matches("\\d+")) {
          b.setCpuCores(Integer.parseInt(ncpu));
        }
        if (f.performanceCores() != null) {
          b.setPerformanceCores(f.performanceCores());
        }
        if (f.efficiencyCores() != null) {
          b.setEfficiencyCores(f.efficiencyCores());
        }
        if (f.virtualMachine() != null) {
          b.setVirtualMachine(f.virtualMachine());
        }
        if (b.getOsBuild().isEmpty() && f.osBuild() != null) {
          b.setOsBuild(f.osBuild());
        }
      } catch (UnrecognisedOutput e) {
        log.warn("sysctl output unrecognised: {}", e.getMessage());
      }
    });
    output("ioreg-platform").flatMap(IoregParser::platformUuid).ifPresent(b::setHardwareUuid);
    return b.build();
  }

  private Optional<String> output(String kind) {
    try {
      return commands.output(kind);
    } catch (HostCommands.CommandFailed e) {
      log.warn("{}", e.getMessage());
      return Optional.empty();
    }
  }
}
