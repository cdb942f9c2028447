package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `uptime`: "6:30  up 7 days,  9:22, 6 users, load averages: 2.33 2.95 3.06" and its shorter forms. */
public final class UptimeParser {
  private static final Pattern UP = Pattern.compile(
      "up\\s+(?:(\\d+)\\s+days?,\\s*)?(?:(\\d+):(\\d{2})|(\\d+)\\s+mins?|(\\d+)\\s+hrs?|(\\d+)\\s+secs?)?");
  private static final Pattern USERS = Pattern.compile("(\\d+)\\s+users?");
  private static final Pattern LOAD =
      Pattern.compile("load averages?:\\s*([\\d.,]+)[,\\s]+([\\d.,]+)[,\\s]+([\\d.,]+)");

  private UptimeParser() {}

  public static Uptime parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    Matcher u = UP.matcher(t);
    if (!u.find() || u.group(0).strip().equals("up")) {
      throw new UnrecognisedOutput("expected 'up N days, H:MM, …' (uptime)");
    }
    long s = 0;
    if (u.group(1) != null) {
      s += Long.parseLong(u.group(1)) * 86400;
    }
    if (u.group(2) != null) {
      s += Long.parseLong(u.group(2)) * 3600 + Long.parseLong(u.group(3)) * 60;
    } else if (u.group(4) != null) {
      s += Long.parseLong(u.group(4)) * 60;
    } else if (u.group(5) != null) {
      s += Long.parseLong(u.group(5)) * 3600;
    } else if (u.group(6) != null) {
      s += Long.parseLong(u.group(6));
    }
    Matcher users = USERS.matcher(t);
    Matcher load = LOAD.matcher(t);
    boolean hasLoad = load.find();
    return new Uptime(
        s,
        users.find() ? Integer.valueOf(users.group(1)) : null,
        hasLoad ? Numbers.decimal(load.group(1)) : null,
        hasLoad ? Numbers.decimal(load.group(2)) : null,
        hasLoad ? Numbers.decimal(load.group(3)) : null);
  }
}
