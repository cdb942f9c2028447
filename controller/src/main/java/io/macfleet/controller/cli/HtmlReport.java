package io.macfleet.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.SampleColumns;
import io.macfleet.controller.verdict.EnvironmentSignals;
import io.macfleet.controller.verdict.LevelComparison;
import io.macfleet.controller.verdict.Thresholds;
import io.macfleet.controller.verdict.VerdictEngine;
import io.macfleet.shared.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One self-contained HTML page for one model, readable for 50 hosts: a summary table of every host's newest
 * verdicts at the top, linking into the page; one plot per concurrency level with every host overlaid (control
 * hosts dashed, with diamonds), TTFT p50 with its p95 as a band, environment periods shaded, triple changes
 * marked; decode p50 per level; the N-way/1-way TTFT p95 ratio against its limit (points past it ringed); per
 * host, a collapsible section with its own plot and what changed when; each verdict's before/after TTFT
 * distributions. Every time plot shares one x range. Inline SVG and a few lines of script that count what rendered
 * and any label drawn outside its plot (the test in headless Chromium reads them).
 */
final class HtmlReport {
  private static final Map<String, String> SHADE = Map.of(
      "thermal",
      "#ff9f40",
      "battery",
      "#ffd84d",
      "sleep",
      "#9e9e9e",
      "mobile",
      "#b39ddb",
      "swap",
      "#f48fb1",
      "memory_pressure",
      "#ef9a9a");
  /** Host sections start open when there are at most this many hosts. */
  private static final int OPEN_SECTIONS = 8;

  private HtmlReport() {}

  /** One host's runs of the model, oldest first, and what the page draws of them. */
  private record HostRuns(String host, boolean control, String color, List<Records.Run> runs) {}

  static String render(
      String model, Dataset d, List<JsonNode> verdicts, Thresholds t, String generatedFor) {
    d.index();
    Map<String, List<Records.Run>> runsByHost = new TreeMap<>();
    for (Records.Run r : d.runs().values()) {
      if (r.model().equals(model)) {
        runsByHost.computeIfAbsent(r.host(), k -> new ArrayList<>()).add(r);
      }
    }
    List<HostRuns> hosts = new ArrayList<>();
    int i = 0;
    for (var e : runsByHost.entrySet()) {
      e.getValue().sort(Comparator.comparing(Records.Run::startedAt));
      Records.Host h = d.hosts().get(e.getKey());
      hosts.add(new HostRuns(e.getKey(), h != null && h.isControl(), color(i++), e.getValue()));
    }
    TreeSet<Integer> levels = new TreeSet<>();
    List<Double> times = new ArrayList<>();
    for (HostRuns h : hosts) {
      for (Records.Run r : h.runs()) {
        levels.addAll(d.samples(r.run()).levels());
        times.add((double) r.startedAt().getEpochSecond());
      }
    }
    Svg.Range range = Svg.Range.of(times);
    Map<String, List<Svg.Band>> bands = new LinkedHashMap<>();
    Map<String, List<Svg.Marker>> changes = new LinkedHashMap<>();
    for (HostRuns h : hosts) {
      bands.put(h.host(), environment(d, h, t));
      changes.put(h.host(), tripleChanges(h));
    }
    List<Svg.Band> allBands = bands.values().stream().flatMap(List::stream).toList();
    List<Svg.Marker> allChanges =
        changes.values().stream().flatMap(List::stream).toList();

    StringBuilder p = new StringBuilder();
    head(p, model, generatedFor);
    summary(p, d, hosts, verdicts);

    p.append("<h2 id=\"ttft\">TTFT by concurrency level</h2>");
    for (int level : levels) {
      p.append(Svg.timeChart(
          "TTFT p50 (line) and p95 (band), " + level + "-way, every host",
          "ms",
          range,
          series(d, hosts, level, SampleColumns.Metric.TTFT_MS, true),
          allBands,
          allChanges,
          null));
    }
    legend(p, hosts);
    p.append("<h2 id=\"decode\">Decode by concurrency level</h2>");
    for (int level : levels) {
      p.append(Svg.timeChart(
          "decode p50, " + level + "-way, every host",
          "tok/s",
          range,
          series(d, hosts, level, SampleColumns.Metric.DECODE_TPS, false),
          allBands,
          allChanges,
          null));
    }
    legend(p, hosts);
    List<Svg.Series> ratios = ratios(d, hosts);
    if (ratios.stream().anyMatch(s -> !s.points().isEmpty())) {
      p.append("<h2 id=\"ratio\">N-way / 1-way TTFT p95</h2>");
      p.append(Svg.timeChart(
          "N-way / 1-way TTFT p95, every host (limit " + t.concurrencyRatio() + ")",
          "ratio",
          range,
          ratios,
          List.of(),
          allChanges,
          t.concurrencyRatio()));
      legend(p, hosts);
    }

    p.append("<h2 id=\"hosts\">Hosts</h2>");
    for (HostRuns h : hosts) {
      p.append("<details id=\"")
          .append(anchor("host", h.host()))
          .append("\"")
          .append(hosts.size() <= OPEN_SECTIONS ? " open" : "")
          .append("><summary>")
          .append(Html.esc(h.host()))
          .append(h.control() ? " (control)" : "")
          .append(": ")
          .append(h.runs().size())
          .append(" run(s)</summary>");
      p.append(Svg.timeChart(
          h.host() + ": TTFT p50 and p95, 1-way",
          "ms",
          range,
          series(d, List.of(h), 1, SampleColumns.Metric.TTFT_MS, true),
          bands.get(h.host()),
          changes.get(h.host()),
          null));
      whatChanged(p, bands.get(h.host()), changes.get(h.host()));
      p.append("</details>");
    }

    beforeAndAfter(p, d, verdicts, t);
    script(p);
    return p.append("</body></html>").toString();
  }

  private static void head(StringBuilder p, String model, String generatedFor) {
    p.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>macfleet report: ")
        .append(Html.esc(model))
        .append("</title><style>")
        .append("body{font-family:-apple-system,Helvetica,Arial,sans-serif;margin:24px;color:#222;")
        .append("max-width:1360px}table{border-collapse:collapse;font-size:13px}")
        .append(
            "td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}")
        .append("svg.plot{background:#fff;border:1px solid #eee;margin:4px}")
        .append(
            "details{margin:8px 0;border:1px solid #eee;padding:4px 8px}summary{cursor:pointer;")
        .append(
            "font-weight:600}.k{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;")
        .append(
            "opacity:.7;vertical-align:middle}.k.host{opacity:1}.legend{font-size:12px;margin:0 0 12px 4px}")
        .append(".regression{color:#b00}.environment{color:#a60}</style></head><body>");
    p.append("<h1>macfleet report: ")
        .append(Html.esc(model))
        .append("</h1><p>")
        .append(Html.esc(generatedFor))
        .append(". Shading marks run windows with an environment signal:");
    SHADE.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> p.append("<span class=\"k\" style=\"background:")
            .append(e.getValue())
            .append("\"></span>")
            .append(e.getKey()));
    p.append(
            ". Control hosts are dashed with diamonds; a triangle on top marks a change of the software")
        .append(
            " triple (Ollama version, digest, macOS build); a red ring marks a point past a runbook limit.")
        .append(" Lines break where a host has no runs for a while.</p>");
  }

  /** Every host with its newest verdict per level, each linking to where the page shows it. */
  private static void summary(
      StringBuilder p, Dataset d, List<HostRuns> hosts, List<JsonNode> verdicts) {
    Map<String, Map<Integer, JsonNode>> newest = new TreeMap<>();
    for (JsonNode v : verdicts) {
      newest
          .computeIfAbsent(v.path("host").asText(), k -> new TreeMap<>())
          .merge(
              v.path("concurrency").asInt(1), v, (a, b) -> started(d, a) >= started(d, b) ? a : b);
    }
    p.append("<h2 id=\"summary\">Summary</h2><table><tr><th>host</th><th>role</th><th>runs</th>")
        .append(
            "<th>triple now (Ollama, digest, macOS build)</th><th>newest verdict per level</th></tr>");
    for (HostRuns h : hosts) {
      Records.Run last = h.runs().get(h.runs().size() - 1);
      p.append("<tr><td><a href=\"#")
          .append(anchor("host", h.host()))
          .append("\"><span class=\"k host\" style=\"background:")
          .append(h.color())
          .append("\"></span>")
          .append(Html.esc(h.host()))
          .append("</a></td><td>")
          .append(h.control() ? "control" : "")
          .append("</td><td>")
          .append(h.runs().size())
          .append("</td><td>")
          .append(Html.esc(triple(last)))
          .append("</td><td>");
      var mine = newest.getOrDefault(h.host(), Map.of());
      if (mine.isEmpty()) {
        p.append("none");
      }
      for (var e : mine.entrySet()) {
        JsonNode v = e.getValue();
        String kind = v.path("verdict").asText();
        p.append(e.getKey())
            .append("-way: <a class=\"")
            .append(cssClass(kind))
            .append("\" href=\"#")
            .append(
                kind.equals("no_change")
                    ? anchor("host", h.host())
                    : anchor("v", v.path("run").asText() + "-" + e.getKey()))
            .append("\">")
            .append(Html.esc(VerdictTables.verdictCell(v)))
            .append("</a> ");
      }
      p.append("</td></tr>");
    }
    p.append("</table>");
  }

  /** When the verdict's run started: the newest verdict of a level is the one of its newest run. */
  private static long started(Dataset d, JsonNode v) {
    Records.Run r = d.runs().get(v.path("run").asText());
    return r == null ? Long.MIN_VALUE : r.startedAt().getEpochSecond();
  }

  /** Per host, the p50 of a metric at one level for each run, and its p95 when {@code withP95}. */
  private static List<Svg.Series> series(
      Dataset d, List<HostRuns> hosts, int level, SampleColumns.Metric metric, boolean withP95) {
    List<Svg.Series> out = new ArrayList<>();
    for (HostRuns h : hosts) {
      List<Svg.Point> p50 = new ArrayList<>();
      List<Svg.Point> p95 = new ArrayList<>();
      for (Records.Run r : h.runs()) {
        double[] v = sorted(d.samples(r.run()).values(metric, level, false));
        if (v.length > 0) {
          double x = r.startedAt().getEpochSecond();
          p50.add(new Svg.Point(x, Quantiles.of(v, 50)));
          if (withP95) {
            p95.add(new Svg.Point(x, Quantiles.of(v, 95)));
          }
        }
      }
      out.add(new Svg.Series(label(h), h.color(), h.control(), p50, p95));
    }
    return out;
  }

  private static List<Svg.Series> ratios(Dataset d, List<HostRuns> hosts) {
    List<Svg.Series> out = new ArrayList<>();
    for (HostRuns h : hosts) {
      List<Svg.Point> pts = new ArrayList<>();
      for (Records.Run r : h.runs()) {
        SampleColumns s = d.samples(r.run());
        Integer top = s.levels().isEmpty() ? null : s.levels().last();
        double[] t1 = sorted(s.values(SampleColumns.Metric.TTFT_MS, 1, false));
        if (top != null && top > 1 && t1.length > 0) {
          double[] tn = sorted(s.values(SampleColumns.Metric.TTFT_MS, top, false));
          if (tn.length > 0) {
            pts.add(new Svg.Point(
                r.startedAt().getEpochSecond(), Quantiles.of(tn, 95) / Quantiles.of(t1, 95)));
          }
        }
      }
      out.add(new Svg.Series(label(h), h.color(), h.control(), pts, List.of()));
    }
    return out;
  }

  private static List<Svg.Band> environment(Dataset d, HostRuns h, Thresholds t) {
    List<Svg.Band> out = new ArrayList<>();
    for (Records.Run r : h.runs()) {
      Instant end = r.endedAt() != null ? r.endedAt() : r.startedAt().plus(Duration.ofMinutes(5));
      for (String f :
          EnvironmentSignals.during(d, r.host(), r.startedAt(), end, t).factors()) {
        out.add(new Svg.Band(
            r.startedAt().getEpochSecond(),
            end.getEpochSecond(),
            SHADE.getOrDefault(f, "#ccc"),
            h.host() + ": " + f + " during " + r.run()));
      }
    }
    return out;
  }

  /** A marker at each run whose triple differs from the host's run before it. */
  private static List<Svg.Marker> tripleChanges(HostRuns h) {
    List<Svg.Marker> out = new ArrayList<>();
    Records.Run prev = null;
    for (Records.Run r : h.runs()) {
      if (prev != null) {
        List<String> what = new ArrayList<>();
        change(what, "Ollama", prev.ollamaVersion(), r.ollamaVersion());
        change(what, "digest", short12(prev.digest()), short12(r.digest()));
        change(what, "macOS build", prev.osBuild(), r.osBuild());
        if (!what.isEmpty()) {
          out.add(new Svg.Marker(
              r.startedAt().getEpochSecond(),
              h.color(),
              h.host() + " at " + r.startedAt() + ": " + String.join(", ", what)));
        }
      }
      prev = r;
    }
    return out;
  }

  private static void change(List<String> what, String name, String before, String after) {
    if (!Objects.equals(before, after)) {
      what.add(
          name + " " + (before == null ? "-" : before) + " → " + (after == null ? "-" : after));
    }
  }

  private static void whatChanged(StringBuilder p, List<Svg.Band> bands, List<Svg.Marker> changes) {
    if (bands.isEmpty() && changes.isEmpty()) {
      p.append("<p>No environment signal and no change of the software triple in this period.</p>");
      return;
    }
    p.append("<table><tr><th>when</th><th>what</th></tr>");
    List<String[]> rows = new ArrayList<>();
    for (Svg.Marker m : changes) {
      rows.add(
          new String[] {Instant.ofEpochSecond((long) m.x()).toString(), "changed: " + m.label()});
    }
    for (Svg.Band b : bands) {
      rows.add(new String[] {
        Instant.ofEpochSecond((long) b.x0()) + " – " + Instant.ofEpochSecond((long) b.x1()),
        b.label()
      });
    }
    rows.sort(Comparator.comparing(r -> r[0]));
    for (String[] r : rows) {
      p.append("<tr><td>")
          .append(Html.esc(r[0]))
          .append("</td><td>")
          .append(Html.esc(r[1]))
          .append("</td></tr>");
    }
    p.append("</table>");
  }

  /** Each verdict other than no_change: its baseline's and its run's TTFT, or why there is no baseline to show. */
  private static void beforeAndAfter(
      StringBuilder p, Dataset d, List<JsonNode> verdicts, Thresholds t) {
    p.append("<h2 id=\"verdicts\">Before and after, per verdict</h2>");
    Map<VerdictEngine.SeriesKey, List<Records.Run>> series = VerdictEngine.series(d);
    VerdictEngine engine = new VerdictEngine(t);
    int shown = 0;
    for (JsonNode v : verdicts) {
      if (shown >= 60 || "no_change".equals(v.path("verdict").asText())) {
        continue;
      }
      Records.Run cand = d.runs().get(v.path("run").asText());
      if (cand == null) {
        continue;
      }
      int level = v.path("concurrency").asInt(1);
      List<Records.Run> base = engine.baselineFor(
          series.getOrDefault(
              new VerdictEngine.SeriesKey(
                  cand.host(), cand.model(), cand.promptSet() == null ? "" : cand.promptSet()),
              List.of()),
          cand);
      double[] b = new LevelComparison.Pool(
              base.stream().map(r -> d.samples(r.run())).toList(), level, false)
          .sorted(SampleColumns.Metric.TTFT_MS);
      double[] c = d.samples(cand.run()).values(SampleColumns.Metric.TTFT_MS, level, false);
      String kind = v.path("verdict").asText();
      p.append("<details id=\"")
          .append(anchor("v", cand.run() + "-" + level))
          .append("\" open><summary class=\"")
          .append(cssClass(kind))
          .append("\">")
          .append(Html.esc(cand.host() + " " + cand.run() + " " + level + "-way: " + kind))
          .append("</summary><p>")
          .append(Html.esc(v.path("explanation").asText()))
          .append("</p>");
      if (b.length == 0) {
        p.append("<p>No baseline samples to draw: ")
            .append(Html.esc("no earlier run of this model on this host under the same conditions ("
                + c.length + " candidate samples)."))
            .append("</p>");
      } else {
        p.append(Svg.histogram(
            cand.host() + " " + level + "-way TTFT",
            "ms",
            b,
            "baseline TTFT",
            c,
            "candidate TTFT"));
      }
      p.append("</details>");
      shown++;
    }
    if (shown == 0) {
      p.append("<p>No verdict other than no_change.</p>");
    }
  }

  private static void legend(StringBuilder p, List<HostRuns> hosts) {
    p.append("<div class=\"legend\">");
    for (HostRuns h : hosts) {
      p.append("<span class=\"k host\" style=\"background:")
          .append(h.color())
          .append("\"></span><a href=\"#")
          .append(anchor("host", h.host()))
          .append("\">")
          .append(Html.esc(label(h)))
          .append("</a>");
    }
    p.append("</div>");
  }

  /**
   * The page's own checks, which the test in headless Chromium reads: errors, plots drawn with marks, and text
   * drawn outside its plot (a clipped label).
   */
  private static void script(StringBuilder p) {
    // every section opened while measuring (a closed one has no layout), then put back as it was;
    // a label is clipped when its box on screen (rotation included) leaves its plot's
    p.append("<script>document.body.dataset.errors='';window.addEventListener('error',function(e){")
        .append("document.body.dataset.errors+=e.message+';';});function countPlots(){")
        .append(
            "var d=document.querySelectorAll('details'),was=[];for(var k=0;k<d.length;k++){was.push(d[k].open);")
        .append(
            "d[k].open=true;}var p=document.querySelectorAll('svg.plot'),ok=0,clipped=0,what='';")
        .append("for(var i=0;i<p.length;i++){var b=p[i].getBBox();")
        .append("if(b.width>0&&b.height>0&&p[i].querySelectorAll('.mark').length>0)ok++;")
        .append("var s=p[i].getBoundingClientRect(),t=p[i].querySelectorAll('text');")
        .append(
            "for(var j=0;j<t.length;j++){var r=t[j].getBoundingClientRect();if(r.width>0&&(r.left<s.left-0.5||")
        .append(
            "r.right>s.right+0.5||r.top<s.top-0.5||r.bottom>s.bottom+0.5)){clipped++;what+=t[j].textContent+';';}}}")
        .append(
            "for(var k=0;k<d.length;k++){d[k].open=was[k];}document.body.dataset.plots=p.length;")
        .append("document.body.dataset.plotsRendered=ok;document.body.dataset.clipped=clipped;")
        .append("document.body.dataset.clippedWhat=what;}")
        .append("if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',")
        .append("countPlots);}else{countPlots();}</script>");
  }

  private static String label(HostRuns h) {
    return h.control() ? h.host() + " (control)" : h.host();
  }

  /** Distinct, readable colours for any number of hosts: hues a golden angle apart. */
  static String color(int i) {
    return String.format(Locale.ROOT, "hsl(%.0f,65%%,40%%)", (i * 137.508) % 360);
  }

  private static String anchor(String prefix, String name) {
    return prefix + "-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static String cssClass(String kind) {
    return kind.contains("regression") || kind.equals("failure")
        ? "regression"
        : kind.equals("environment") ? "environment" : "";
  }

  private static String triple(Records.Run r) {
    return (r.ollamaVersion() == null ? "-" : r.ollamaVersion()) + ", "
        + (r.digest() == null ? "-" : short12(r.digest())) + ", "
        + (r.osBuild() == null ? "-" : r.osBuild());
  }

  private static String short12(String digest) {
    if (digest == null) {
      return null;
    }
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  private static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }
}
