package io.macfleet.controller.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table; the last column is never padded. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  void add(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], cell(r, i).length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String c = cell(r, i);
        sb.append(c);
        if (i < cols - 1) {
          sb.append(" ".repeat(w[i] - c.length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static String cell(String[] r, int i) {
    return i < r.length && r[i] != null ? escape(r[i]) : "";
  }

  /**
   * A string from a Mac (a model name, a version, an error) as it may reach a terminal: control characters — ESC,
   * BEL, CR, LF, DEL and the C1 range — shown as {@code \xNN}, so a hostile value cannot move the cursor, clear a
   * line or forge a row. Everything else, Unicode included, is printed as it is.
   */
  static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || c >= 0x7f && c <= 0x9f;
      if (control && out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (out != null) {
        if (control) {
          out.append(String.format("\\x%02x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
