package io.macfleet.controller.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Everything the CLI prints, locally and over the admin SSH endpoint, passes through here: a control character that
 * would act on a terminal (ESC, BEL, backspace, a lone CR, DEL, the C1 range) is shown as {@code \xNN} instead,
 * whatever command printed it and whatever it came from. Line feeds, tabs and CR LF line ends pass: the CLI's own
 * lines need them. Values from a Mac are also escaped where they are printed ({@link Table#escape}), which shows a
 * line feed inside a value too; this is the net under every other line.
 */
final class TerminalWriter extends PrintWriter {
  private TerminalWriter(Writer out) {
    super(out, true);
  }

  static PrintWriter wrap(PrintWriter out) {
    return out instanceof TerminalWriter ? out : new TerminalWriter(out);
  }

  @Override
  public void write(int c) {
    if (passes((char) c, false)) {
      super.write(c);
    } else {
      super.write(hex((char) c), 0, 4);
    }
  }

  @Override
  public void write(char[] buf, int off, int len) {
    write(new String(buf, off, len), 0, len);
  }

  @Override
  public void write(String s, int off, int len) {
    int end = off + len;
    int from = off;
    for (int i = off; i < end; i++) {
      char c = s.charAt(i);
      if (!passes(c, i + 1 < end && s.charAt(i + 1) == '\n')) {
        super.write(s, from, i - from);
        super.write(hex(c), 0, 4);
        from = i + 1;
      }
    }
    super.write(s, from, end - from);
  }

  private static boolean passes(char c, boolean lineFeedNext) {
    if (c == '\n' || c == '\t' || c == '\r' && lineFeedNext) {
      return true;
    }
    return !(c < 0x20 || c >= 0x7f && c <= 0x9f);
  }

  private static String hex(char c) {
    String h = Integer.toHexString(c);
    return "\\x" + (h.length() < 2 ? "0" + h : h);
  }
}
