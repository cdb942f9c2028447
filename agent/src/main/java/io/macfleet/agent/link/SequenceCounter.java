package io.macfleet.agent.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The per-host report sequence, persisted before use so a restart never reuses a number. */
public final class SequenceCounter {
  private final Path file;
  private long last;

  public SequenceCounter(Path file, long floor) throws IOException {
    this.file = file;
    long stored = 0;
    if (Files.exists(file)) {
      String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
      try {
        stored = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IOException(
            file + " is damaged (\"" + s + "\"); remove it only if the spool is empty", e);
      }
    }
    this.last = Math.max(stored, floor);
  }

  public synchronized long next() throws IOException {
    long n = last + 1;
    SecureFiles.writeString(file, Long.toString(n), false);
    last = n;
    return n;
  }

  /**
   * Sets the last number used, up or down: only when the controller has said which numbers it holds (a resync),
   * never on the agent's own say.
   */
  public synchronized void resetTo(long newLast) throws IOException {
    SecureFiles.writeString(file, Long.toString(newLast), false);
    last = newLast;
  }

  public synchronized long last() {
    return last;
  }
}
