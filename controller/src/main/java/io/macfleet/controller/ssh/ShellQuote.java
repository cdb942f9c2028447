package io.macfleet.controller.ssh;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Remote commands are argument lists, never strings put together from input: each word is single-quoted for
 * the POSIX shell that sshd hands the command to, so nothing in a word is ever interpreted. Values that come
 * from users are checked against their grammar before they get here.
 */
public final class ShellQuote {
  /**
   * Ollama's model name grammar: [[host/]namespace/]name[:tag]; each part starts with a letter or digit and holds
   * letters, digits, '.', '_' and '-' (so no part can be "..", and nothing a shell would act on).
   */
  private static final Pattern MODEL = Pattern.compile(
      "([A-Za-z0-9][A-Za-z0-9._-]{0,79}/){0,2}[A-Za-z0-9][A-Za-z0-9._-]{0,79}(:[A-Za-z0-9][A-Za-z0-9._-]{0,79})?");

  private ShellQuote() {}

  public static String word(String w) {
    if (w.indexOf('\0') >= 0 || w.indexOf('\n') >= 0 || w.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "a remote command word may not contain NUL or line breaks");
    }
    return "'" + w.replace("'", "'\"'\"'") + "'";
  }

  public static String command(List<String> argv) {
    if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
      throw new IllegalArgumentException("remote commands run by absolute path, got " + argv);
    }
    StringBuilder sb = new StringBuilder();
    for (String w : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(word(w));
    }
    return sb.toString();
  }

  /** The model name, if it is one Ollama would accept; otherwise a refusal naming the grammar. */
  public static String model(String name) {
    if (name == null || !MODEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + AdminSshPolicy.printable(String.valueOf(name)) + "' is not an Ollama "
              + "model name ([[host/]namespace/]name[:tag] of letters, digits, '.', '_' and '-')");
    }
    return name;
  }
}
