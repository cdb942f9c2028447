package io.macfleet.agent.log;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One line per event on stderr, which launchd writes to the agent's log file:
 * {@code 2026-12-06T15:55:05.340Z [agent-sender] WARN ReportSender - message}. The time is UTC in ISO-8601, formatted
 * without the JDK's locale machinery (a date format loads every locale's data, a megabyte the daemon never uses).
 * Control characters in the message are escaped: a string from the network or a log file cannot forge a line.
 */
final class AgentLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private final String shortName;
  private final int threshold;
  private final transient PrintStream out;

  AgentLogger(String name, Level threshold, PrintStream out) {
    this.name = name;
    this.shortName = name.substring(name.lastIndexOf('.') + 1);
    this.threshold = threshold.toInt();
    this.out = out;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= threshold;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable thrown) {
    String line = line(
        Instant.now(),
        Thread.currentThread().getName(),
        level,
        shortName,
        MessageFormatter.basicArrayFormat(pattern, args));
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      line = line + System.lineSeparator() + trace.toString().stripTrailing();
    }
    synchronized (out) {
      out.println(line);
    }
  }

  /** The line for one event (the stack trace, when there is one, follows on lines of its own). */
  static String line(Instant at, String thread, Level level, String logger, String message) {
    return utc(at) + " [" + escape(thread) + "] " + level + " " + logger + " - " + escape(message);
  }

  /** yyyy-MM-ddTHH:mm:ss.SSSZ, always with the milliseconds (Instant.toString drops them when they are zero). */
  static String utc(Instant at) {
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(24);
    pad(b, t.getYear(), 4).append('-');
    pad(b, t.getMonthValue(), 2).append('-');
    pad(b, t.getDayOfMonth(), 2).append('T');
    pad(b, t.getHour(), 2).append(':');
    pad(b, t.getMinute(), 2).append(':');
    pad(b, t.getSecond(), 2).append('.');
    return pad(b, t.getNano() / 1_000_000, 3).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String s = Integer.toString(value);
    return b.append("0".repeat(Math.max(0, width - s.length()))).append(s);
  }

  /** Control characters as escapes (\n, \r, \t, \\u001b …), so one event stays one line. */
  static String escape(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control =
          c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
      if (control && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        switch (c) {
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (control) {
              String hex = Integer.toHexString(c);
              b.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
            } else {
              b.append(c);
            }
          }
        }
      }
    }
    return b == null ? s : b.toString();
  }
}
