package io.macfleet.agent.collect.parse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of Ollama's server.log that say who asked for what: Gin's request lines (after any prefix such as
 * journald's, and with any terminal colours removed) and the runner's truncation warnings. `[GIN-debug]` route lines
 * and everything else are not requests.
 */
public final class ServerLogParser {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
  private static final Pattern GIN = Pattern.compile(
      "\\[GIN] (\\d{4}/\\d{2}/\\d{2} - \\d{2}:\\d{2}:\\d{2}) \\|\\s*(\\d{3})\\s*\\|\\s*(\\S+)\\s*\\|\\s*(\\S*)\\s*\\|\\s*([A-Z]+)\\s+\"([^\"]*)\"");
  private static final DateTimeFormatter GIN_TIME =
      DateTimeFormatter.ofPattern("uuuu/MM/dd - HH:mm:ss");
  private static final Pattern TRUNCATING = Pattern.compile("msg=\"truncating input ([a-z]+)");
  private static final Pattern LIMIT = Pattern.compile("\\blimit=(\\d{1,9})\\b");
  private static final Pattern PROMPT = Pattern.compile("\\bprompt=(\\d{1,9})\\b");

  private ServerLogParser() {}

  /** What the line says, or empty for a line that is neither a request nor a truncation warning. */
  public static Optional<ServerLogLine> parse(String line) {
    if (line.indexOf("[GIN]") >= 0) {
      Matcher m = GIN.matcher(ANSI.matcher(line).replaceAll(""));
      if (!m.find()) {
        return Optional.empty();
      }
      var latency = GoDuration.parse(m.group(3));
      if (latency == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(new ServerLogLine.Request(
            LocalDateTime.parse(m.group(1), GIN_TIME),
            Integer.parseInt(m.group(2)),
            latency,
            m.group(4),
            m.group(5),
            m.group(6)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher t = TRUNCATING.matcher(line);
    if (t.find()) {
      return Optional.of(new ServerLogLine.Truncation(
          t.group(1).equals("messages"), number(LIMIT, line), number(PROMPT, line)));
    }
    return Optional.empty();
  }

  private static Integer number(Pattern p, String line) {
    Matcher m = p.matcher(line);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  /** Whether the line is one Gate C could not read although it looks like a request line. */
  public static boolean looksLikeRequest(String line) {
    return line.contains("[GIN]") && parse(line).isEmpty();
  }
}
