package io.macfleet.simulator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A server.log as Ollama writes it, for the agent's Gate C to read: Gin's request line in its uncoloured form
 * (`[GIN] 2006/01/02 - 15:04:05 | %3d | %13v | %15s | %-7s "%s"`, local time, Go's duration text) and the
 * runner's `truncating input prompt` warning. Appended line by line, as Ollama does.
 */
final class GinLog implements AutoCloseable {
  private static final DateTimeFormatter GIN_TIME =
      DateTimeFormatter.ofPattern("uuuu/MM/dd - HH:mm:ss");
  private static final DateTimeFormatter SLOG_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  private final Writer out;
  private final ZoneId zone = ZoneId.systemDefault();

  GinLog(Path file) throws IOException {
    this.out = Files.newBufferedWriter(
        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  synchronized void request(
      Instant end, int status, long latencyNanos, String client, String method, String path) {
    write(String.format(
        Locale.ROOT,
        "[GIN] %s | %3d | %13s | %15s | %-7s  \"%s\"%n",
        GIN_TIME.format(end.atZone(zone)),
        status,
        goDuration(latencyNanos),
        client,
        method,
        path.replace("\"", "\\\"")));
  }

  synchronized void truncatedPrompt(Instant at, int limit, int prompt) {
    write(String.format(
        Locale.ROOT,
        "time=%s level=WARN source=runner.go:131 msg=\"truncating input prompt\" limit=%d prompt=%d keep=5 "
            + "new=%d%n",
        SLOG_TIME.format(at.atZone(zone)),
        limit,
        prompt,
        limit));
  }

  private void write(String line) {
    try {
      out.write(line);
      out.flush();
    } catch (IOException e) {
      // a full disk must not fail the request being served
    }
  }

  /** Go's time.Duration.String(): 20.916µs, 1.193025ms, 11.275035333s, 29m59s, 1h2m3.5s, 0s. */
  static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return decimal(nanos, 1_000) + "µs";
    }
    if (nanos < 1_000_000_000) {
      return decimal(nanos, 1_000_000) + "ms";
    }
    long h = nanos / 3_600_000_000_000L;
    long m = nanos / 60_000_000_000L % 60;
    String s = decimal(nanos % 60_000_000_000L, 1_000_000_000) + "s";
    return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + s;
  }

  private static String decimal(long v, long unit) {
    String frac = String.format(
            Locale.ROOT, "%0" + Long.toString(unit - 1).length() + "d", v % unit)
        .replaceAll("0+$", "");
    return (v / unit) + (frac.isEmpty() ? "" : "." + frac);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
