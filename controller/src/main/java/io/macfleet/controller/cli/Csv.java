package io.macfleet.controller.cli;

import java.io.PrintWriter;

/**
 * CSV as RFC 4180 writes it (a cell with a comma, quote, CR or LF is quoted, quotes doubled; lines end CRLF), and
 * safe to open in a spreadsheet: a cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, tab or CR gets
 * a leading {@code '}, so a model name or reason from a Mac is shown, never run as a formula (OWASP's advice for
 * CSV injection). A cell that is a plain number (a negative one included) is written as it is.
 */
final class Csv {
  private final PrintWriter out;

  Csv(PrintWriter out, String... header) {
    this.out = out;
    row(header);
  }

  /** One line of text cells. */
  void row(String... cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cell(cells[i]));
    }
    out.print(b);
    out.print("\r\n");
  }

  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String v = value;
    if (isNumber(v)) {
      return v;
    }
    char first = v.charAt(0);
    if (first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r') {
      v = "'" + v;
    }
    boolean quote =
        v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  /** Whether a cell is a plain decimal number (which a spreadsheet reads as a number, not a formula). */
  private static boolean isNumber(String v) {
    return v.matches("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");
  }
}
