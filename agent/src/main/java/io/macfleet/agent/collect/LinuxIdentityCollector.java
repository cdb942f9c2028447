package io.macfleet.agent.collect;

import io.macfleet.agent.collect.parse.KeyValueParser;
import io.macfleet.proto.v1.HostIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Linux identity from /etc/os-release and /proc; Ollama also serves from Linux boxes. */
public final class LinuxIdentityCollector implements IdentityCollector {
  private final Path root;

  public LinuxIdentityCollector() {
    this(Path.of("/"));
  }

  /** root lets tests point at a captured tree. */
  public LinuxIdentityCollector(Path root) {
    this.root = root;
  }

  @Override
  public HostIdentity collect() {
    HostIdentity.Builder b = IdentityCollector.fromJvm();
    read("etc/os-release").map(KeyValueParser::shellAssignments).ifPresent(os -> {
      b.setOsName(os.getOrDefault("NAME", "Linux"));
      b.setOsVersion(os.getOrDefault("VERSION_ID", ""));
    });
    read("proc/cpuinfo").ifPresent(text -> {
      var cpu = KeyValueParser.colon(text);
      b.setCpuBrand(cpu.getOrDefault("model name", cpu.getOrDefault("Model", "")));
      // the kernel sets the "hypervisor" CPU flag inside a virtual machine
      b.setVirtualMachine(java.util.Arrays.asList(cpu.getOrDefault("flags", "").split("\\s+"))
          .contains("hypervisor"));
    });
    read("proc/meminfo").map(KeyValueParser::colon).ifPresent(mem -> {
      long total = KeyValueParser.kilobytes(mem, "MemTotal");
      if (total > 0) {
        b.setMemoryBytes(total);
      }
    });
    Optional<String> uuid = read("sys/class/dmi/id/product_uuid").or(() -> read("etc/machine-id"));
    uuid.map(String::strip).filter(s -> !s.isEmpty()).ifPresent(b::setHardwareUuid);
    read("sys/class/dmi/id/product_name").map(String::strip).ifPresent(b::setModelId);
    return b.build();
  }

  private Optional<String> read(String relative) {
    Path p = root.resolve(relative);
    try {
      if (!Files.isReadable(p)) {
        return Optional.empty();
      }
      byte[] bytes = Files.readAllBytes(p);
      return Optional.of(
          new String(bytes, 0, Math.min(bytes.length, 1 << 20), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
