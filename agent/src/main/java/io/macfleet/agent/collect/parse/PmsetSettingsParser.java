package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `pmset -g` and `pmset -g custom`. Lines are " %-20s value"; names may contain spaces ("Sleep On Power
 * Button 1") and values may carry "(sleep prevented by a, b)". Markdown bold markers are stripped.
 */
public final class PmsetSettingsParser {
  private static final Pattern SECTION = Pattern.compile("^([A-Z][A-Za-z -]*):\\s*$");
  private static final Pattern PREVENTED =
      Pattern.compile("\\((display )?sleep prevented by ([^)]*)\\)");
  private static final Pattern SETTING = Pattern.compile("^(.+?)\\s+(\\S+)$");

  private PmsetSettingsParser() {}

  public static PowerSettings parse(String text) throws UnrecognisedOutput {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    List<String> sleepBy = new ArrayList<>();
    List<String> displayBy = new ArrayList<>();
    Map<String, String> current = null;
    for (String raw : (text == null ? "" : text).split("\\R")) {
      String line = raw.replace("**", "");
      Matcher s = SECTION.matcher(line.strip());
      if (!line.startsWith(" ") && !line.startsWith("\t") && s.matches()) {
        current = sections.computeIfAbsent(s.group(1).strip(), k -> new LinkedHashMap<>());
        continue;
      }
      if (current == null || line.isBlank()) {
        continue;
      }
      Matcher p = PREVENTED.matcher(line);
      if (p.find()) {
        for (String who : p.group(2).split(",")) {
          if (!who.isBlank()) {
            (p.group(1) == null ? sleepBy : displayBy).add(who.strip());
          }
        }
        line = line.substring(0, p.start());
      }
      Matcher kv = SETTING.matcher(line.strip());
      if (kv.matches()) {
        current.put(kv.group(1).strip(), kv.group(2));
      }
    }
    if (sections.isEmpty() || sections.values().stream().allMatch(Map::isEmpty)) {
      throw new UnrecognisedOutput(
          "expected 'Currently in use:' or a power-source section with settings (pmset -g)");
    }
    Map<String, String> inUse =
        sections.getOrDefault("Currently in use", sections.values().iterator().next());
    String lpm = inUse.get("lowpowermode");
    Integer powerMode = Numbers.intOrNull(inUse.get("powermode"));
    Boolean low = lpm != null
        ? Boolean.valueOf("1".equals(lpm))
        : powerMode != null ? Boolean.valueOf(powerMode == 1) : null;
    String disabled =
        sections.getOrDefault("System-wide power settings", Map.of()).get("SleepDisabled");
    return new PowerSettings(
        sections,
        sleepBy.stream().distinct().toList(),
        displayBy.stream().distinct().toList(),
        disabled == null ? null : "1".equals(disabled),
        low,
        powerMode);
  }
}
