package io.macfleet.agent.collect.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings that change Ollama's performance, from the last `msg="server config" env="map[…]"` line of
 * server.log (written at every server start).
 */
public final class OllamaServerConfigParser {
  public static final String[] KEYS = {
    "OLLAMA_NUM_PARALLEL",
    "OLLAMA_KEEP_ALIVE",
    "OLLAMA_CONTEXT_LENGTH",
    "OLLAMA_FLASH_ATTENTION",
    "OLLAMA_KV_CACHE_TYPE",
    "OLLAMA_MAX_LOADED_MODELS"
  };
  private static final Pattern LINE =
      Pattern.compile("msg=\"server config\" env=\"map\\[(.*)\\]\"");

  private OllamaServerConfigParser() {}

  public static Map<String, String> parse(String log) throws UnrecognisedOutput {
    String last = null;
    Matcher m = LINE.matcher(log == null ? "" : log);
    while (m.find()) {
      last = m.group(1);
    }
    if (last == null) {
      throw new UnrecognisedOutput("no 'msg=\"server config\"' line (Ollama server.log)");
    }
    return pick(last, " ");
  }

  /** KEY:VALUE (log map) or KEY=VALUE (an environment) pairs for the keys that matter. */
  static Map<String, String> pick(String text, String sep) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : KEYS) {
      Matcher v =
          Pattern.compile("(?:^|[\\s\\x00])" + k + "[:=]([^\\s\\x00\\]]*)").matcher(text);
      if (v.find()) {
        out.put(k, v.group(1));
      }
    }
    return out;
  }

  /** From a process environment (/proc/PID/environ: NUL-separated KEY=VALUE). */
  public static Map<String, String> fromEnvironment(String environ) {
    return pick(environ, "\0");
  }
}
