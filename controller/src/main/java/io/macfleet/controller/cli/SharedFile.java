package io.macfleet.controller.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file a user writes to share (a report page, an export): readable by others (0644, not the 0600 of a
 * temporary file), written under a temporary name and renamed into place so an interrupted write never leaves
 * half a file under the name, and only into a directory that exists — a mistyped path is an error, not a new
 * directory tree.
 */
final class SharedFile {
  interface Body {
    void write(Writer w) throws IOException;
  }

  private SharedFile() {}

  static void write(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException(
          ExitCodes.USAGE,
          "the directory " + Table.escape(String.valueOf(dir))
              + " does not exist; create it first");
    }
    if (Files.isDirectory(target)) {
      throw new CliException(
          ExitCodes.USAGE, Table.escape(target.toString()) + " is a directory; give a file name");
    }
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
