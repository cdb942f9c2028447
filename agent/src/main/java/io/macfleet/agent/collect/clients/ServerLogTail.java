package io.macfleet.agent.collect.clients;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads what was appended to Ollama's server.log since the last read, never the whole file again: it remembers the
 * offset after the last complete line and the file's identity. A new file (rotated) or a shorter one (truncated) is
 * read from its start, and said so. The first read starts near the end (history before the agent is not its
 * interval's), each read takes at most {@code maxBytes} (the rest is skipped and said so), and an over-long line is
 * dropped rather than held.
 */
public final class ServerLogTail {
  public static final int MAX_LINE = 16 * 1024;

  /** The complete lines read this time and anything worth telling about how. */
  public record Chunk(List<String> lines, String note) {}

  private final Path file;
  private final int maxBytes;
  private Object fileKey;
  private long offset = -1;

  public ServerLogTail(Path file, int maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  public Path file() {
    return file;
  }

  public synchronized Chunk read() throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    long size = a.size();
    Object key = a.fileKey();
    List<String> notes = new ArrayList<>();
    if (offset < 0) {
      offset = Math.max(0, size - maxBytes);
    } else if (!Objects.equals(key, fileKey) || size < offset) {
      notes.add("the log was rotated or truncated; read from its new start");
      offset = 0;
    }
    fileKey = key;
    if (size - offset > maxBytes) {
      notes.add(
          "skipped " + (size - maxBytes - offset) + " bytes written faster than one read takes");
      offset = size - maxBytes;
    }
    List<String> lines = new ArrayList<>();
    if (size > offset) {
      byte[] buf = new byte[(int) (size - offset)];
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        f.seek(offset);
        f.readFully(buf);
      }
      int start = 0;
      if (offset > 0 && !notes.isEmpty() && notes.get(notes.size() - 1).startsWith("skipped")) {
        start = firstLineStart(buf); // landed mid-line
      }
      int dropped = 0;
      for (int i = start; i < buf.length; i++) {
        if (buf[i] == '\n') {
          if (i - start <= MAX_LINE) {
            lines.add(new String(buf, start, i - start, StandardCharsets.UTF_8).stripTrailing());
          } else {
            dropped++;
          }
          start = i + 1;
        }
      }
      offset += start; // a partial last line is read again, whole, next time
      if (dropped > 0) {
        notes.add(dropped + " line(s) over " + MAX_LINE + " bytes dropped");
      }
    }
    return new Chunk(lines, String.join("; ", notes));
  }

  private static int firstLineStart(byte[] buf) {
    for (int i = 0; i < buf.length; i++) {
      if (buf[i] == '\n') {
        return i + 1;
      }
    }
    return buf.length;
  }
}
