package io.macfleet.controller.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * An SSH exec request's one string split into words the way a POSIX shell splits them — single quotes,
 * double quotes, backslash escapes — and nothing else: no variables, globs, pipes or command substitution,
 * because no shell ever sees the string.
 */
public final class CommandLineWords {
  private CommandLineWords() {}

  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < line.length()
            && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          w.append(line.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException(
          "unterminated " + (quote == '\'' ? "single" : "double") + " quote");
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }
}
