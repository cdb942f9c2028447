package io.macfleet.controller.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain aligned text table that fits {@link #WIDTH} columns unless asked for all of it ({@code --wide}): the
 * columns marked {@link #wideOnly} are left out, those marked {@link #detail} (long reasons and figures) move to a
 * line of their own under the table, and when that is not enough the widest column (never the first, which names
 * the row, nor one marked {@link #whole}) is cut, its cells ending in "…". The last column is never padded.
 */
final class Table {
  /** A terminal's width as tables assume it: 100 columns. */
  static final int WIDTH = 100;
  /** A column is never cut narrower than this. */
  static final int MIN_CUT = 10;

  private static final String GAP = "  ";
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] wideOnly;
  private final boolean[] detail;
  private final boolean[] whole;

  Table(String... header) {
    rows.add(header);
    wideOnly = new boolean[header.length];
    detail = new boolean[header.length];
    whole = new boolean[header.length];
    whole[0] = true; // the first column names the row
  }

  /** Columns never cut to fit (what a row is read for: a verdict, a status). */
  Table whole(String... headers) {
    for (String h : headers) {
      whole[column(h)] = true;
    }
    return this;
  }

  /** Columns shown only with {@code --wide}, by header. */
  Table wideOnly(String... headers) {
    for (String h : headers) {
      wideOnly[column(h)] = true;
    }
    return this;
  }

  /**
   * Columns whose values, without {@code --wide}, are printed under the table instead, one line each: "ROW-NAME
   * HEADER: value" (the same line once).
   */
  Table detail(String... headers) {
    for (String h : headers) {
      detail[column(h)] = true;
    }
    return this;
  }

  private int column(String header) {
    int i = Arrays.asList(rows.get(0)).indexOf(header);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + header);
    }
    return i;
  }

  void add(String... cells) {
    rows.add(cells);
  }

  /** Within 100 columns. */
  void print(PrintWriter out) {
    print(out, false);
  }

  void print(PrintWriter out, boolean wide) {
    int[] cols = java.util.stream.IntStream.range(0, wideOnly.length)
        .filter(i -> wide || !wideOnly[i] && !detail[i])
        .toArray();
    int[] w = new int[cols.length];
    for (String[] r : rows) {
      for (int c = 0; c < cols.length; c++) {
        w[c] = Math.max(w[c], cell(r, cols[c]).length());
      }
    }
    if (!wide) {
      boolean[] keep = new boolean[cols.length];
      for (int c = 0; c < cols.length; c++) {
        keep[c] = whole[cols[c]];
      }
      fit(w, keep);
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < cols.length; c++) {
        String s = cut(cell(r, cols[c]), w[c]);
        sb.append(s);
        if (c < cols.length - 1) {
          sb.append(" ".repeat(w[c] - s.length())).append(GAP);
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    if (!wide) {
      printDetails(out);
    }
  }

  private void printDetails(PrintWriter out) {
    java.util.Set<String> lines = new java.util.LinkedHashSet<>();
    String[] header = rows.get(0);
    for (String[] r : rows.subList(1, rows.size())) {
      for (int i = 0; i < header.length; i++) {
        String v = cell(r, i);
        if (detail[i] && !v.isEmpty() && !v.equals("-")) {
          lines.add(cell(r, 0) + "  " + header[i] + ": " + v);
        }
      }
    }
    lines.forEach(out::println);
  }

  /** Narrows the widest columns (never the first) until the row fits, or every one is at {@link #MIN_CUT}. */
  static void fit(int[] w) {
    boolean[] keep = new boolean[w.length];
    keep[0] = true;
    fit(w, keep);
  }

  /** As above, never narrowing the columns marked {@code keep}. */
  static void fit(int[] w, boolean[] keep) {
    int total = Arrays.stream(w).sum() + GAP.length() * (w.length - 1);
    while (total > WIDTH) {
      int widest = -1;
      for (int c = 0; c < w.length; c++) {
        if (!keep[c] && w[c] > MIN_CUT && (widest < 0 || w[c] > w[widest])) {
          widest = c;
        }
      }
      if (widest < 0) {
        return;
      }
      w[widest]--;
      total--;
    }
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
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
