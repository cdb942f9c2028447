package io.macfleet.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.collect.parse.IoregParser;
import io.macfleet.proto.v1.HostIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxIdentityCollectorTest {
  @Test
  void readsOsReleaseCpuMemoryAndMachineId(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(
        root.resolve("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n");
    Files.writeString(
        root.resolve("proc/cpuinfo"),
        "processor\t: 0\nmodel name\t: AMD EPYC 7B13\n"
            + "flags\t\t: fpu vme de pse hypervisor lahf_lm\n\nprocessor\t: 1\n");
    Files.writeString(
        root.resolve("proc/meminfo"), "MemTotal:       16314880 kB\nMemFree:  100 kB\n");
    Files.writeString(root.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    HostIdentity id = new LinuxIdentityCollector(root).collect();
    assertThat(id.getOsName()).isEqualTo("Debian GNU/Linux");
    assertThat(id.getOsVersion()).isEqualTo("12");
    assertThat(id.getCpuBrand()).isEqualTo("AMD EPYC 7B13");
    assertThat(id.getMemoryBytes()).isEqualTo(16314880L * 1024);
    assertThat(id.getHardwareUuid()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(id.getChipGeneration()).isEmpty();
    assertThat(id.getVirtualMachine()).isTrue();
    assertThat(id.getHostname()).isNotBlank();
  }

  @Test
  void missingFilesLeaveFactsEmptyRatherThanFailing(@TempDir Path root) {
    HostIdentity id = new LinuxIdentityCollector(root).collect();
    assertThat(id.getOsName()).isEmpty();
    assertThat(id.getMemoryBytes()).isZero();
    assertThat(id.getHardwareUuid()).isEmpty();
  }

  @Test
  void ioregUuid() {
    String out =
        "+-o J316sAP  <class IOPlatformExpertDevice>\n    \"IOPlatformUUID\" = \"1a2b3c4d-0000-1111-2222-333344445555\"\n";
    assertThat(IoregParser.platformUuid(out)).contains("1A2B3C4D-0000-1111-2222-333344445555");
    assertThat(IoregParser.platformUuid("garbage")).isEmpty();
  }
}
