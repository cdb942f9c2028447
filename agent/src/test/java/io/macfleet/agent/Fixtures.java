package io.macfleet.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real captured outputs in the repository's fixtures/ folder (path set by the build). */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String p = System.getProperty("macfleet.fixtures");
    Path dir = p == null ? Path.of("..", "fixtures") : Path.of(p);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
          + "; run the tests through Maven from the repository (it sets -Dmacfleet.fixtures)");
    }
    return dir;
  }

  public static String read(String relative) throws IOException {
    return Files.readString(dir().resolve(relative), StandardCharsets.UTF_8);
  }
}
