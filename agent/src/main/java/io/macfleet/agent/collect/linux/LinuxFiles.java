package io.macfleet.agent.collect.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading small /proc and /sys files under a root (a captured tree in tests). */
final class LinuxFiles {
  private LinuxFiles() {}

  static Optional<String> read(Path root, String relative) {
    Path p = root.resolve(relative);
    try {
      if (!Files.isReadable(p) || Files.isDirectory(p)) {
        return Optional.empty();
      }
      byte[] b = Files.readAllBytes(p);
      return Optional.of(
          new String(b, 0, Math.min(b.length, 1 << 20), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<Long> number(Path root, String relative) {
    return read(root, relative).flatMap(s -> {
      try {
        return Optional.of(Long.parseLong(s.strip()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }
}
