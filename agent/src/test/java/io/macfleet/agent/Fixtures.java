package io.macfleet.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real captured outputs in ../shared/fixtures (path set by the build). */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String p = System.getProperty("macfleet.fixtures");
    Path dir = p == null ? Path.of("..", "..", "shared", "fixtures") : Path.of(p);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
          + "; the shared/ directory must sit beside the repository");
    }
    return dir;
  }

  public static String read(String relative) throws IOException {
    return Files.readString(dir().resolve(relative), StandardCharsets.UTF_8);
  }
}
