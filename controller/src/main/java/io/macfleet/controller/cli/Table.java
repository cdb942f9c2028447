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
    return i < r.length && r[i] != null ? r[i] : "";
  }
}
