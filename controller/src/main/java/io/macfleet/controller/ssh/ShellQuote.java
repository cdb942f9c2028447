package io.macfleet.controller.ssh;

import java.util.List;

/**
 * Remote commands are argument lists, never strings put together from input: each word is single-quoted for
 * the POSIX shell that sshd hands the command to, so nothing in a word is ever interpreted. Values that come
 * from users are checked against their grammar before they get here.
 */
public final class ShellQuote {
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

  /** The model name, if it is one Ollama would accept (the one grammar, {@code Names.model}). */
  public static String model(String name) {
    return io.macfleet.controller.fleet.Names.model(name);
  }
}
