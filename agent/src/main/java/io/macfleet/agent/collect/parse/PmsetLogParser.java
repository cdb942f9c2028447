package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `pmset -g log`: "YYYY-MM-DD HH:MM:SS ±ZZZZ <Domain>\t<Message>\t<Duration>…", tabs possibly expanded
 * to spaces, lines possibly quote-prefixed. "Using Batt", "Using BATT" and "Using AC" all occur. Parsing
 * stops at the assertions dump pmset appends after the log.
 */
public final class PmsetLogParser {
  private static final String[] DOMAINS = {
    "Wake Requests",
    "PM Client Acks",
    "Kernel Client Acks",
    "DarkWake",
    "Sleep",
    "Wake",
    "Assertions",
    "Notification",
    "Start",
    "Hibernate Statistics",
    "Restart",
    "Shutdown"
  };
  private static final Pattern TIME =
      Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\s+(.*)$");
  private static final Pattern USING =
      Pattern.compile("Using (AC|Batt|UPS)\\s*\\(Charge:\\s*(\\d+)%\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+) secs\\s*$");
  private static final Pattern REASON = Pattern.compile("due to '?([^':]+?)'?(?::|\\s+Using|$)");
  private static final Pattern SUMMARY = Pattern.compile(
      "Sleep/Wakes since boot at .*?:\\s*(\\d+)\\s+Dark Wake Count in this sleep cycle:\\s*(\\d+)");

  private PmsetLogParser() {}

  public static PowerLog parse(String text) throws UnrecognisedOutput {
    List<PowerLog.Entry> entries = new ArrayList<>();
    Integer sleeps = null;
    Integer darks = null;
    for (String raw : (text == null ? "" : text).split("\\R")) {
      if (raw.contains("Showing all currently held IOKit power assertions")) {
        break;
      }
      String line = raw.replaceFirst("^>\\s?_?", "").replaceFirst("^_", "");
      Matcher s = SUMMARY.matcher(line);
      if (s.find()) {
        sleeps = Integer.valueOf(s.group(1));
        darks = Integer.valueOf(s.group(2));
        continue;
      }
      Matcher t = TIME.matcher(line.strip());
      if (t.matches()) {
        String rest = t.group(2);
        String domain = null;
        for (String d : DOMAINS) {
          if (rest.startsWith(d)
              && (rest.length() == d.length() || Character.isWhitespace(rest.charAt(d.length())))) {
            domain = d;
            break;
          }
        }
        if (domain == null) {
          String[] parts = rest.split("\\t|\\s{2,}", 2);
          domain = parts[0].strip();
          rest = parts.length > 1 ? parts[1] : "";
        } else {
          rest = rest.substring(domain.length());
        }
        entries.add(entry(t.group(1), domain, rest));
      } else if (line.strip().matches("^(DarkWake|Wake|Entering) .*(Using|due to).*")) {
        // a message-only fragment: the domain follows from the wording
        String msg = line.strip();
        String domain = msg.startsWith("DarkWake from")
            ? "DarkWake"
            : msg.startsWith("Entering") ? "Sleep" : "Wake";
        entries.add(entry(null, domain, msg));
      }
    }
    if (entries.isEmpty() && sleeps == null) {
      throw new UnrecognisedOutput(
          "expected 'YYYY-MM-DD HH:MM:SS ±ZZZZ <Domain> <Message>' lines (pmset -g log)");
    }
    return new PowerLog(entries, sleeps, darks);
  }

  private static PowerLog.Entry entry(String time, String domain, String rest) {
    String message = rest.strip().replaceAll("\\s*\\t\\s*", "  ");
    Long duration = null;
    Matcher d = DURATION.matcher(message);
    if (d.find()) {
      duration = Long.valueOf(d.group(1));
      message = message.substring(0, d.start()).strip();
    }
    String source = null;
    Integer charge = null;
    Matcher u = USING.matcher(message);
    if (u.find()) {
      String src = u.group(1).toLowerCase(Locale.ROOT);
      source = src.equals("batt") ? "Batt" : src.toUpperCase(Locale.ROOT);
      charge = Integer.valueOf(u.group(2));
    }
    String reason = null;
    Matcher r = REASON.matcher(message);
    if (r.find()) {
      reason = r.group(1).strip();
    }
    return new PowerLog.Entry(time, domain, message, source, charge, duration, reason);
  }
}
