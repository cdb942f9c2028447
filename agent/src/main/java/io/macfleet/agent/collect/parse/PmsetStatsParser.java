package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `pmset -g stats`: "Sleep Count:0" — no space after the colon. */
public final class PmsetStatsParser {
  private PmsetStatsParser() {}

  public static SleepStats parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    Integer sleep = find(t, "Sleep Count");
    Integer dark = find(t, "Dark Wake Count");
    Integer user = find(t, "User Wake Count");
    if (sleep == null && dark == null && user == null) {
      throw new UnrecognisedOutput("expected 'Sleep Count:N' lines (pmset -g stats)");
    }
    return new SleepStats(sleep, dark, user);
  }

  private static Integer find(String t, String label) {
    Matcher m =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s*:\\s*(\\d+)").matcher(t);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }
}
