package io.macfleet.agent.collect;

import io.macfleet.agent.collect.parse.Chip;
import io.macfleet.agent.collect.parse.ChipParser;
import io.macfleet.agent.collect.parse.IoregParser;
import io.macfleet.agent.collect.parse.KeyValueParser;
import io.macfleet.agent.collect.parse.SwVersParser;
import io.macfleet.proto.v1.HostIdentity;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** macOS identity from sw_vers, sysctl and ioreg, each by absolute path. */
public final class MacIdentityCollector implements IdentityCollector {
  private static final Logger log = LoggerFactory.getLogger(MacIdentityCollector.class);
  static final String SW_VERS = "/usr/bin/sw_vers";
  static final String SYSCTL = "/usr/sbin/sysctl";
  static final String IOREG = "/usr/sbin/ioreg";

  private final CommandRunner runner;

  public MacIdentityCollector(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public HostIdentity collect() {
    HostIdentity.Builder b = IdentityCollector.fromJvm();
    output(SW_VERS).flatMap(SwVersParser::parse).ifPresent(v -> b
        .setOsName(v.productName().isEmpty() ? "macOS" : v.productName())
        .setOsVersion(v.productVersion())
        .setOsExtra(v.productVersionExtra())
        .setOsBuild(v.buildVersion()));
    output(SYSCTL, "hw.model", "hw.memsize", "machdep.cpu.brand_string", "hw.ncpu").ifPresent(out -> {
      Map<String, String> kv = KeyValueParser.colon(out);
      b.setModelId(kv.getOrDefault("hw.model", ""));
      parseLong(kv.get("hw.memsize")).ifPresent(b::setMemoryBytes);
      Chip chip = ChipParser.parse(kv.getOrDefault("machdep.cpu.brand_string", ""));
      b.setCpuBrand(chip.brand()).setChipGeneration(chip.generation()).setChipTier(chip.tier());
      parseLong(kv.get("hw.ncpu")).ifPresent(n -> b.setCpuCores(n.intValue()));
    });
    output(IOREG, "-rd1", "-c", "IOPlatformExpertDevice").flatMap(IoregParser::platformUuid)
        .ifPresent(b::setHardwareUuid);
    return b.build();
  }

  private java.util.Optional<String> output(String cmd, String... args) {
    if (!CommandRunner.available(cmd)) {
      return java.util.Optional.empty();
    }
    try {
      CommandResult r = runner.run(cmd, args);
      if (!r.ok()) {
        log.warn("{} failed: {}", cmd, r.failureSummary());
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(r.stdout());
    } catch (IOException e) {
      log.warn("{} could not run: {}", cmd, e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<Long> parseLong(String s) {
    if (s == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
