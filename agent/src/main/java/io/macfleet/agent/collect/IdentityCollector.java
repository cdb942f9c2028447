package io.macfleet.agent.collect;

import io.macfleet.proto.v1.HostIdentity;
import java.util.Locale;

/** Collects the host's basic identity. Facts that cannot be read are left empty, never guessed. */
public interface IdentityCollector {
  HostIdentity collect();

  /** The collector for the OS this JVM runs on. */
  static IdentityCollector forThisHost(CommandRunner runner) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("mac") || os.contains("darwin")) {
      return new MacIdentityCollector(new LiveMacCommands(runner));
    }
    return new LinuxIdentityCollector();
  }

  /** What every OS shares: host name, kernel release, architecture and cores, as the JVM sees them. */
  static HostIdentity.Builder fromJvm() {
    return HostIdentity.newBuilder()
        .setHostname(localHostname())
        .setKernel(System.getProperty("os.version", ""))
        .setArch(normalisedArch())
        .setCpuCores(Runtime.getRuntime().availableProcessors());
  }

  static String localHostname() {
    String env = System.getenv("HOSTNAME");
    try {
      String name = java.net.InetAddress.getLocalHost().getHostName();
      if (name != null && !name.isBlank()) {
        return name;
      }
    } catch (java.io.IOException ignored) {
      // fall through to the environment
    }
    return env == null ? "localhost" : env;
  }

  static String normalisedArch() {
    String arch = System.getProperty("os.arch", "");
    return switch (arch) {
      case "aarch64" -> "arm64";
      case "x86_64" -> "amd64";
      default -> arch;
    };
  }
}
