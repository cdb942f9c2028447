package io.macfleet.agent.link;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files atomically (temp, fsync, rename), optionally readable by the owner only (0600). */
public final class SecureFiles {
  private SecureFiles() {}

  public static void writeAtomically(Path target, byte[] content, boolean ownerOnly)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly && posix()) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel ch = FileChannel.open(
        tmp,
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(content));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public static void writeString(Path target, String content, boolean ownerOnly)
      throws IOException {
    writeAtomically(target, content.getBytes(StandardCharsets.UTF_8), ownerOnly);
  }

  public static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Refuses a secret file that others can read, the way ssh does with private keys. */
  public static void requireOwnerOnly(Path file) throws IOException {
    if (!posix()) {
      return;
    }
    var perms = Files.getPosixFilePermissions(file);
    for (var p : perms) {
      String n = p.name();
      if (n.startsWith("GROUP") || n.startsWith("OTHERS")) {
        throw new IOException(file + " is readable by others ("
            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
      }
    }
  }
}
