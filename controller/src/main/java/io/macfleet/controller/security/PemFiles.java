package io.macfleet.controller.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writing secret material owner-only (0600), and refusing to use it when others can read it. */
public final class PemFiles {
  private PemFiles() {}

  public static void writeOwnerOnly(Path file, String content) throws IOException {
    write(file, content, true);
  }

  public static void writePublic(Path file, String content) throws IOException {
    write(file, content, false);
  }

  private static void write(Path file, String content, boolean ownerOnly) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly && posix()) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static void requireOwnerOnly(Path file) throws IOException {
    if (!posix()) {
      return;
    }
    var perms = Files.getPosixFilePermissions(file);
    for (var p : perms) {
      if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
        throw new IOException(file + " is readable by others ("
            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
      }
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
