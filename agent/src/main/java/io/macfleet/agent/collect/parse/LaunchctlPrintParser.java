package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `launchctl print system/<label>`: "<name> = {" then tab-indented "key = value" lines with nested
 * "{ }" blocks. Apple calls the format unstable, so only top-level keys are read; the rest is kept raw.
 */
public final class LaunchctlPrintParser {
  private static final Pattern HEAD = Pattern.compile("^(\\S+) = \\{\\s*$");
  private static final Pattern KV = Pattern.compile("^([a-z][a-z -]*?) = (.*)$");

  private LaunchctlPrintParser() {}

  public static LaunchdJob parse(String text) throws UnrecognisedOutput {
    String name = null;
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> args = new ArrayList<>();
    int depth = 0;
    boolean inArgs = false;
    for (String raw : (text == null ? "" : text).split("\\R")) {
      String s = raw.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (name == null) {
        Matcher h = HEAD.matcher(s);
        if (h.matches()) {
          name = h.group(1);
          depth = 1;
        }
        continue;
      }
      if (s.equals("}")) {
        depth--;
        inArgs = false;
        continue;
      }
      if (inArgs) {
        args.add(s);
        continue;
      }
      Matcher kv = KV.matcher(s);
      if (kv.matches()) {
        String value = kv.group(2).strip();
        if (value.equals("{")) {
          if (depth == 1 && kv.group(1).equals("arguments")) {
            inArgs = true;
          }
          depth++;
        } else if (depth == 1) {
          fields.putIfAbsent(kv.group(1), value);
        }
      } else if (s.endsWith("{")) {
        depth++;
      }
    }
    if (name == null || fields.isEmpty()) {
      throw new UnrecognisedOutput(
          "expected '<service> = {' followed by 'key = value' lines (launchctl print)");
    }
    List<String> props = new ArrayList<>();
    String p = fields.get("properties");
    if (p != null) {
      for (String part : p.split("\\|")) {
        if (!part.isBlank()) {
          props.add(part.strip());
        }
      }
    }
    return new LaunchdJob(
        name,
        fields.get("type"),
        fields.get("state"),
        Numbers.intOrNull(fields.get("pid")),
        fields.get("last exit code"),
        fields.get("program"),
        args,
        fields.get("path"),
        Numbers.intOrNull(fields.get("runs")),
        props,
        fields);
  }
}
