package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `pmset -g batt` (= `-g ps`). Desktops print only "Now drawing from 'AC Power'". Old systems have no
 * "(id=…)" and no "present:". Copies may have collapsed everything onto one line.
 */
public final class PmsetBattParser {
  private static final Pattern SOURCE = Pattern.compile("Now drawing from '([^']+)'");
  private static final Pattern BATTERY = Pattern.compile(
      "-(\\S+)\\s*(?:\\(id=([^)]*)\\))?\\s*(\\d{1,3})%;\\s*(AC attached; not charging|finishing charge|discharging|"
          + "charging|charged)(?:;\\s*(?:(\\d+):(\\d{2}) remaining|\\(no estimate\\)))?(?:\\s+present:\\s*(true|false))?");

  private PmsetBattParser() {}

  public static PowerStatus parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    Matcher s = SOURCE.matcher(t);
    if (!s.find()) {
      throw new UnrecognisedOutput("expected \"Now drawing from '…'\" (pmset -g batt)");
    }
    String source = switch (s.group(1)) {
      case "AC Power" -> "AC";
      case "Battery Power" -> "Battery";
      case "UPS Power" -> "UPS";
      default -> s.group(1);
    };
    List<PowerStatus.Battery> batteries = new ArrayList<>();
    Matcher b = BATTERY.matcher(t);
    while (b.find()) {
      Integer minutes = b.group(5) == null
          ? null
          : Integer.parseInt(b.group(5)) * 60 + Integer.parseInt(b.group(6));
      batteries.add(new PowerStatus.Battery(
          b.group(1),
          b.group(2),
          Integer.parseInt(b.group(3)),
          b.group(4),
          minutes,
          b.group(0).contains("(no estimate)"),
          b.group(7) == null ? null : Boolean.valueOf(b.group(7))));
    }
    return new PowerStatus(source, batteries);
  }
}
