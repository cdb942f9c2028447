package io.macfleet.controller.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.h2.mvstore.MVStoreTool;

/**
 * Offline compaction of the embedded H2 file. With REUSE_SPACE=FALSE (see {@link Database#h2Url}) every commit is
 * appended, so the file grows by what the fleet writes, not by what it keeps. Compaction copies the live pages into
 * a new file and moves it over the old one ({@link MVStoreTool#compact}); an interrupted copy is finished or
 * discarded by H2 itself the next time it opens the file, so a crash at any point leaves one whole database.
 *
 * <p>It runs while nothing has the file open: at start, and while {@link Database#offline} holds the pool.
 * The size right after the last compaction is kept beside the file; the file is compacted again once it is both
 * over {@link #MIN_BYTES} and over {@link #GROWTH} times that size.
 */
public final class H2Compaction {
  /** Below this the file is left alone, however much of it is free. */
  public static final long MIN_BYTES = 64L << 20;
  /** Compact once the file is this many times its size after the last compaction. */
  public static final int GROWTH = 2;

  private H2Compaction() {}

  /** What a compaction did. */
  public record Result(long bytesBefore, long bytesAfter, long millis) {}

  /** Whether the file in the data directory has grown enough since its last compaction to compact it now. */
  public static boolean due(Path dataDir) throws IOException {
    Path file = Database.h2File(dataDir);
    if (!Files.exists(file)) {
      return false;
    }
    long size = Files.size(file);
    return size > MIN_BYTES
        && size > GROWTH * lastCompactedSize(dataDir).orElse(MIN_BYTES / GROWTH);
  }

  /** Compacts the file now. Nothing may have it open. */
  public static Result compact(Path dataDir) throws IOException {
    Path file = Database.h2File(dataDir);
    long before = Files.size(file);
    long t0 = System.nanoTime();
    awaitUnlocked(file);
    try {
      MVStoreTool.compact(file.toString(), false);
    } catch (RuntimeException e) {
      throw new IOException("could not compact " + file + ": " + e.getMessage(), e);
    }
    long after = Files.size(file);
    if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      // the copy was made with the process's umask; the database is the data directory's,
      // owner-only
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(marker(dataDir), Long.toString(after) + "\n", StandardCharsets.US_ASCII);
    return new Result(before, after, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Compacts the file if it is due; empty when it was not. */
  public static Optional<Result> compactIfDue(Path dataDir) throws IOException {
    return due(dataDir) ? Optional.of(compact(dataDir)) : Optional.empty();
  }

  /**
   * Waits until no store in this process holds the file: the pool closes its connections on a thread of its own, so
   * the last one may still be closing when the pool reports none.
   */
  private static void awaitUnlocked(Path file) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (var ch = java.nio.channels.FileChannel.open(
              file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
          var lock = ch.tryLock()) {
        if (lock != null) {
          return;
        }
      } catch (java.nio.channels.OverlappingFileLockException e) {
        // held by H2 in this process: wait
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(file + " is still open; not compacted");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
      }
    }
  }

  static Optional<Long> lastCompactedSize(Path dataDir) {
    try {
      return Optional.of(Long.parseLong(
          Files.readString(marker(dataDir), StandardCharsets.US_ASCII).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // never compacted, or the note is damaged: the minimum decides
    }
  }

  private static Path marker(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("macfleet.compacted-size");
  }
}
