package io.macfleet.agent.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Saved outputs instead of live commands: DIR/KIND.txt (e.g. pmset-batt.txt, sysctl.txt). A missing file
 * reads as "command not present", so a user can send in whatever outputs they have.
 */
public final class ReplayCommands implements HostCommands {
  private final Path dir;

  public ReplayCommands(Path dir) {
    this.dir = dir;
  }

  @Override
  public Optional<String> output(String kind) throws CommandFailed {
    Path f = dir.resolve(kind + ".txt");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CommandFailed("cannot read " + f + ": " + e.getMessage());
    }
  }
}
