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

  /**
   * One host's line: p50 points, and where measured the p95 above each (drawn as a band from p50 to p95). A
   * control host is drawn dashed with diamond marks.
   */
  record Series(
      String name, String color, boolean control, List<Point> points, List<Point> upper) {}

  /** A shaded stretch of the x axis (a run window with an environment signal). */
  record Band(double x0, double x1, String color, String label) {}

  /** A moment on the x axis: a triple change (Ollama upgrade, new digest, macOS build) on one host. */
  record Marker(double x, String color, String label) {}

  /** The time range plots that share a time axis are drawn over, in epoch seconds. */
  record Range(double x0, double x1) {
    static Range of(List<Double> xs) {
      double lo = xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double hi = xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      // a little room either side, so the first and last points are not on the axes
      double pad = Math.max(600, (hi - lo) * 0.02);
      return new Range(lo - pad, hi + pad);
    }
  }

  /** Shading narrower than this many pixels is widened to it, so a one-minute signal over a month shows. */
  static final double MIN_BAND_PX = 4;

  private Svg() {}

  /**
   * x in epoch seconds over {@code range}; y in the series' unit; an optional limit (a runbook threshold) drawn as
   * a dashed line, with every point past it ringed in red. A line is broken where a host has a gap longer than
   * three times its usual spacing: no line is drawn across hours without runs.
   */
  static String timeChart(
      String title,
      String yLabel,
      Range range,
      List<Series> series,
      List<Band> bands,
      List<Marker> markers,
      Double limit) {
    double maxY = limit == null ? 0 : limit;
    boolean any = false;
    for (Series s : series) {
      for (Point p : s.points()) {
        maxY = Math.max(maxY, p.y());
        any = true;
      }
      for (Point p : s.upper()) {
        maxY = Math.max(maxY, p.y());
      }
    }
    if (!any) {
      return empty(title);
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    StringBuilder sb = open(title);
    final double x0 = range.x0();
    final double span = Math.max(1, range.x1() - range.x0());
    final double top = maxY;
    java.util.function.DoubleUnaryOperator px = x -> L + (x - x0) / span * (W - L - R);
    java.util.function.DoubleUnaryOperator py = y -> H - B - y / top * (H - T - B);
    for (Band b : bands) {
      double a = px.applyAsDouble(Math.max(b.x0(), range.x0()));
      double z = Math.max(a + MIN_BAND_PX, px.applyAsDouble(Math.min(b.x1(), range.x1())));
      sb.append(String.format(
          Locale.ROOT,
          "<rect class=\"band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
              + "fill=\"%s\" opacity=\"0.3\"><title>%s</title></rect>",
          a,
          T,
          z - a,
          H - T - B,
          b.color(),
          Html.esc(b.label())));
    }
    axes(sb, yLabel, maxY);
    for (int i = 0; i <= 3; i++) {
      double x = range.x0() + span * i / 3;
      sb.append(String.format(
          Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"%s\">%s</text>",
          px.applyAsDouble(x),
          H - 10,
          i == 0 ? "start" : i == 3 ? "end" : "middle",
          TICK.format(Instant.ofEpochSecond((long) x))));
    }
    if (limit != null) {
      double y = py.applyAsDouble(limit);
      sb.append(String.format(
          Locale.ROOT,
          "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" "
              + "stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#c00\" "
              + "text-anchor=\"end\">limit %.1f</text>",
          L,
          W - R,
          y,
          y,
          W - R - 2,
          y - 3,
          limit));
    }
    for (Marker m : markers) {
      double x = px.applyAsDouble(m.x());
      sb.append(String.format(
          Locale.ROOT,
          "<g class=\"change\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
              + "stroke-dasharray=\"2 2\"/><path d=\"M%.1f %d l-4 -7 h8 z\" fill=\"%s\"/>"
              + "<title>%s</title></g>",
          x,
          x,
          T,
          H - B,
          m.color(),
          x,
          T,
          m.color(),
          Html.esc(m.label())));
    }
    for (Series s : series) {
      for (List<Point[]> run : segments(s)) {
        if (run.size() > 1) {
          StringBuilder band = new StringBuilder();
          for (Point[] p : run) {
            if (p[1] != null) {
              band.append(xy(px, py, p[1]));
            }
          }
          for (int i = run.size() - 1; i >= 0; i--) {
            if (run.get(i)[1] != null) {
              band.append(xy(px, py, run.get(i)[0]));
            }
          }
          if (band.length() > 0) {
            sb.append("<polygon class=\"p95\" fill=\"")
                .append(s.color())
                .append("\" opacity=\"0.15\" points=\"")
                .append(band.toString().strip())
                .append("\"/>");
          }
          StringBuilder line = new StringBuilder();
          run.forEach(p -> line.append(xy(px, py, p[0])));
          sb.append("<polyline class=\"mark\" fill=\"none\" stroke=\"")
              .append(s.color())
              .append("\" stroke-width=\"1.5\"")
              .append(s.control() ? " stroke-dasharray=\"5 3\"" : "")
              .append(" points=\"")
              .append(line.toString().strip())
              .append("\"/>");
        }
        for (Point[] p : run) {
          double cx = px.applyAsDouble(p[0].x());
          double cy = py.applyAsDouble(p[0].y());
          sb.append(
              s.control()
                  ? String.format(
                      Locale.ROOT,
                      "<path class=\"mark\" d=\"M%.1f %.1f l3.5 3.5 l-3.5 3.5 l-3.5 -3.5 z\" fill=\"%s\"/>",
                      cx,
                      cy - 3.5,
                      s.color())
                  : String.format(
                      Locale.ROOT,
                      "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\"/>",
                      cx,
                      cy,
                      s.color()));
          if (limit != null && p[0].y() > limit) {
            sb.append(String.format(
                Locale.ROOT,
                "<circle class=\"past-limit\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"none\" "
                    + "stroke=\"#c00\" stroke-width=\"1.5\"><title>%s: %.2f, past the limit %.1f</title></circle>",
                cx,
                cy,
                Html.esc(s.name()),
                p[0].y(),
                limit));
          }
        }
      }
    }
    return sb.append("</svg>").toString();
  }

  private static String xy(
      java.util.function.DoubleUnaryOperator px,
      java.util.function.DoubleUnaryOperator py,
      Point p) {
    return String.format(
        Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(p.x()), py.applyAsDouble(p.y()));
  }

  /**
   * A series cut where it has a gap: consecutive points further apart than three times the median spacing (and
   * more than an hour) start a new segment. Each element pairs a p50 point with its p95 point (or null).
   */
  static List<List<Point[]>> segments(Series s) {
    java.util.Map<Double, Point> upper = new java.util.HashMap<>();
    s.upper().forEach(p -> upper.put(p.x(), p));
    List<Point> pts = s.points();
    double[] gaps = new double[Math.max(0, pts.size() - 1)];
    for (int i = 1; i < pts.size(); i++) {
      gaps[i - 1] = pts.get(i).x() - pts.get(i - 1).x();
    }
    double[] sortedGaps = gaps.clone();
    java.util.Arrays.sort(sortedGaps);
    double median = sortedGaps.length == 0 ? 0 : sortedGaps[sortedGaps.length / 2];
    double breakAt = Math.max(3600, 3 * median);
    List<List<Point[]>> out = new java.util.ArrayList<>();
    List<Point[]> cur = new java.util.ArrayList<>();
    for (int i = 0; i < pts.size(); i++) {
      if (i > 0 && gaps[i - 1] > breakAt) {
        out.add(cur);
        cur = new java.util.ArrayList<>();
      }
      cur.add(new Point[] {pts.get(i), upper.get(pts.get(i).x())});
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
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
          "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"%s\">%.0f %s" + "</text>",
          L + (W - L - R) * i / 3.0,
          H - 10,
          i == 0 ? "start" : i == 3 ? "end" : "middle", // the end labels stay inside the plot
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
