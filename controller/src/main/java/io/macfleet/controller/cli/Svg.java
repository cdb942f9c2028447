package io.macfleet.controller.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Small self-contained SVG charts for the HTML report: no scripts, no fonts, no network. */
final class Svg {
  static final int W = 640;
  static final int H = 220;
  private static final int L = 56;
  private static final int R = 12;
  private static final int T = 26;
  private static final int B = 30;
  private static final DateTimeFormatter TICK =
      DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

  record Point(double x, double y) {}

  record Series(String name, String color, List<Point> points) {}

  /** A shaded stretch of the x axis (a run window with an environment signal). */
  record Band(double x0, double x1, String color, String label) {}

  private Svg() {}

  /** x in epoch seconds; y in the series' unit; an optional horizontal reference line (a gate limit). */
  static String timeChart(
      String title, String yLabel, List<Series> series, List<Band> bands, Double reference) {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = reference == null ? 0 : reference;
    for (Series s : series) {
      for (Point p : s.points()) {
        minX = Math.min(minX, p.x());
        maxX = Math.max(maxX, p.x());
        maxY = Math.max(maxY, p.y());
      }
    }
    if (minX == Double.MAX_VALUE) {
      return empty(title);
    }
    if (maxX - minX < 1) {
      minX -= 1800;
      maxX += 1800;
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    StringBuilder sb = open(title);
    final double x0 = minX;
    final double span = maxX - minX;
    final double top = maxY;
    java.util.function.DoubleUnaryOperator px = x -> L + (x - x0) / span * (W - L - R);
    java.util.function.DoubleUnaryOperator py = y -> H - B - y / top * (H - T - B);
    for (Band b : bands) {
      double a = px.applyAsDouble(Math.max(b.x0(), minX));
      double z = Math.max(a + 3, px.applyAsDouble(Math.min(b.x1(), maxX)));
      sb.append(String.format(
          Locale.ROOT,
          "<rect class=\"band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
              + "fill=\"%s\" opacity=\"0.35\"><title>%s</title></rect>",
          a,
          T,
          z - a,
          H - T - B,
          b.color(),
          Html.esc(b.label())));
    }
    axes(sb, yLabel, maxY);
    for (int i = 0; i <= 3; i++) {
      double x = minX + span * i / 3;
      sb.append(String.format(
          Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"%s\">%s</text>",
          px.applyAsDouble(x),
          H - 10,
          i == 0 ? "start" : i == 3 ? "end" : "middle",
          TICK.format(Instant.ofEpochSecond((long) x))));
    }
    if (reference != null) {
      double y = py.applyAsDouble(reference);
      sb.append(String.format(
          Locale.ROOT,
          "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" "
              + "stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#c00\" text-anchor=\"end\">"
              + "limit %.1f</text>",
          L,
          W - R,
          y,
          y,
          W - R,
          y - 3,
          reference));
    }
    int legend = 0;
    for (Series s : series) {
      StringBuilder pts = new StringBuilder();
      for (Point p : s.points()) {
        pts.append(String.format(
            Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(p.x()), py.applyAsDouble(p.y())));
      }
      sb.append("<polyline class=\"mark\" fill=\"none\" stroke=\"")
          .append(s.color())
          .append("\" stroke-width=\"1.5\" " + "points=\"")
          .append(pts.toString().strip())
          .append("\"/>");
      for (Point p : s.points()) {
        sb.append(String.format(
            Locale.ROOT,
            "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\"/>",
            px.applyAsDouble(p.x()),
            py.applyAsDouble(p.y()),
            s.color()));
      }
      sb.append(String.format(
          Locale.ROOT,
          "<text x=\"%d\" y=\"14\" font-size=\"11\" fill=\"%s\" " + "text-anchor=\"end\">%s</text>",
          W - R - legend * 110,
          s.color(),
          Html.esc(s.name())));
      legend++;
    }
    return sb.append("</svg>").toString();
  }

  /** Two distributions over shared bins, as overlaid bars (share of each side per bin). */
  static String histogram(
      String title, String unit, double[] a, String aName, double[] b, String bName) {
    if (a.length == 0 && b.length == 0) {
      return empty(title);
    }
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (double v : a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (double v : b) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo < 1e-9) {
      hi = lo + 1;
    }
    int bins = 24;
    double[] ha = bin(a, lo, hi, bins);
    double[] hb = bin(b, lo, hi, bins);
    double maxY = 0;
    for (int i = 0; i < bins; i++) {
      maxY = Math.max(maxY, Math.max(ha[i], hb[i]));
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    StringBuilder sb = open(title);
    axes(sb, "share", maxY);
    double bw = (W - L - R) / (double) bins;
    for (int i = 0; i < bins; i++) {
      bar(sb, L + i * bw, bw, ha[i], maxY, "#1f77b4");
      bar(sb, L + i * bw, bw, hb[i], maxY, "#d62728");
    }
    for (int i = 0; i <= 3; i++) {
      double v = lo + (hi - lo) * i / 3;
      sb.append(String.format(
          Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%.0f %s" + "</text>",
          L + (W - L - R) * i / 3.0,
          H - 10,
          v,
          Html.esc(unit)));
    }
    sb.append(String.format(
        Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#1f77b4\" text-anchor=\"end\">"
            + "%s (n=%d)</text><text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#d62728\" text-anchor=\"end\">%s (n=%d)</text>",
        W - R,
        T + 10,
        Html.esc(aName),
        a.length,
        W - R,
        T + 24,
        Html.esc(bName),
        b.length));
    return sb.append("</svg>").toString();
  }

  private static void bar(
      StringBuilder sb, double x, double w, double v, double maxY, String color) {
    if (v <= 0) {
      return;
    }
    double h = v / maxY * (H - T - B);
    sb.append(String.format(
        Locale.ROOT,
        "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            + "fill=\"%s\" opacity=\"0.55\"/>",
        x + 1,
        H - B - h,
        Math.max(1, w - 2),
        h,
        color));
  }

  private static double[] bin(double[] v, double lo, double hi, int bins) {
    double[] h = new double[bins];
    for (double x : v) {
      int i = (int) Math.min(bins - 1, Math.floor((x - lo) / (hi - lo) * bins));
      h[i] += 1.0 / v.length;
    }
    return h;
  }

  private static StringBuilder open(String title) {
    return new StringBuilder(String.format(
        Locale.ROOT,
        "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>"
            + "<text x=\"%d\" y=\"14\" font-size=\"12\" font-weight=\"bold\">%s</text>",
        W,
        H,
        W,
        H,
        Html.esc(title),
        L,
        Html.esc(title)));
  }

  private static void axes(StringBuilder sb, String yLabel, double maxY) {
    sb.append(String.format(
        Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
        L,
        T,
        L,
        H - B,
        L,
        H - B,
        W - R,
        H - B));
    for (int i = 0; i <= 4; i++) {
      double v = maxY * i / 4;
      double y = H - B - (H - T - B) * i / 4.0;
      sb.append(String.format(
          Locale.ROOT,
          "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>"
              + "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>",
          L - 4,
          y + 3,
          v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v),
          L + 1,
          W - R,
          y,
          y));
    }
    sb.append(String.format(
        Locale.ROOT,
        "<text x=\"12\" y=\"%d\" font-size=\"10\" transform=\"rotate(-90 12 %d)\" "
            + "text-anchor=\"middle\">%s</text>",
        (H) / 2,
        (H) / 2,
        Html.esc(yLabel)));
  }

  private static String empty(String title) {
    return open(title)
        .append("<text x=\"60\" y=\"100\" font-size=\"12\">no data</text></svg>")
        .toString();
  }
}
