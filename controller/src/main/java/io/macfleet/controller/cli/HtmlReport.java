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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One self-contained HTML page: per host, TTFT and decode over time with thermal, power and sleep shaded; the
 * N-way/1-way TTFT p95 ratio against its limit; and each verdict's before/after TTFT distributions. Inline SVG
 * and a few lines of script that count what rendered (the test in headless Chromium reads them).
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

  private HtmlReport() {}

  static String render(
      String model, Dataset d, List<JsonNode> verdicts, Thresholds t, String generatedFor) {
    d.index();
    Map<VerdictEngine.SeriesKey, List<Records.Run>> series = VerdictEngine.series(d);
    Map<String, List<Records.Run>> byHost = new TreeMap<>();
    for (Records.Run r : d.runs().values()) {
      if (r.model().equals(model)) {
        byHost.computeIfAbsent(r.host(), k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>macfleet report: ")
        .append(Html.esc(model))
        .append("</title><style>")
        .append(
            "body{font-family:-apple-system,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1500px}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;")
        .append(
            "text-align:left}section{margin:18px 0}svg.plot{background:#fff;border:1px solid #eee;margin:4px}")
        .append(".k{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;opacity:.6}")
        .append(".regression{color:#b00}.environment{color:#a60}</style></head><body>");
    h.append("<h1>macfleet report: ")
        .append(Html.esc(model))
        .append("</h1><p>")
        .append(Html.esc(generatedFor))
        .append(". Shading marks run windows with an environment signal:");
    SHADE.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> h.append("<span class=\"k\" style=")
            .append("\"background:")
            .append(e.getValue())
            .append("\"></span>")
            .append(e.getKey()));
    h.append("</p>");
    h.append("<h2>Verdicts</h2>");
    if (verdicts.isEmpty()) {
      h.append("<p>No verdicts in this period.</p>");
    } else {
      h.append(
          "<table><tr><th>host</th><th>run</th><th>level</th><th>verdict</th><th>factors</th><th>control</th>"
              + "<th>explanation</th><th>next step</th></tr>");
      for (JsonNode v : verdicts) {
        String kind = v.path("verdict").asText();
        h.append("<tr><td>")
            .append(Html.esc(v.path("host").asText()))
            .append("</td><td>")
            .append(Html.esc(v.path("run").asText()))
            .append("</td><td>")
            .append(v.path("concurrency").asInt())
            .append("-way</td><td class=\"")
            .append(
                kind.contains("regression") || kind.equals("failure")
                    ? "regression"
                    : kind.equals("environment") ? "environment" : "")
            .append("\">")
            .append(Html.esc(VerdictTables.verdictCell(v)))
            .append("</td><td>")
            .append(Html.esc(join(v.path("factors"))))
            .append("</td><td>")
            .append(Html.esc(VerdictTables.controlCell(v)))
            .append("</td><td>")
            .append(Html.esc(v.path("explanation").asText()))
            .append("</td><td>")
            .append(Html.esc(v.path("next_step").asText("none")))
            .append(
                v.path("next_command").isTextual()
                    ? "<br><code>" + Html.esc(v.path("next_command").asText()) + "</code>"
                    : "")
            .append("</td></tr>");
      }
      h.append("</table>");
    }
    h.append("<h2>Hosts over time</h2>");
    for (var e : byHost.entrySet()) {
      List<Records.Run> runs = e.getValue();
      runs.sort(Comparator.comparing(Records.Run::startedAt));
      List<Svg.Point> ttft = new ArrayList<>();
      List<Svg.Point> decode = new ArrayList<>();
      List<Svg.Point> ratio = new ArrayList<>();
      List<Svg.Band> bands = new ArrayList<>();
      for (Records.Run r : runs) {
        SampleColumns s = d.samples(r.run());
        double x = r.startedAt().getEpochSecond();
        double[] t1 = sorted(s.values(SampleColumns.Metric.TTFT_MS, 1, false));
        double[] d1 = sorted(s.values(SampleColumns.Metric.DECODE_TPS, 1, false));
        if (t1.length > 0) {
          ttft.add(new Svg.Point(x, Quantiles.of(t1, 50)));
        }
        if (d1.length > 0) {
          decode.add(new Svg.Point(x, Quantiles.of(d1, 50)));
        }
        Integer top = s.levels().isEmpty() ? null : s.levels().last();
        if (top != null && top > 1 && t1.length > 0) {
          double[] tn = sorted(s.values(SampleColumns.Metric.TTFT_MS, top, false));
          if (tn.length > 0) {
            ratio.add(new Svg.Point(x, Quantiles.of(tn, 95) / Quantiles.of(t1, 95)));
          }
        }
        Instant end = r.endedAt() != null ? r.endedAt() : r.startedAt().plus(Duration.ofMinutes(5));
        for (String f :
            EnvironmentSignals.during(d, r.host(), r.startedAt(), end, t).factors()) {
          bands.add(new Svg.Band(
              x, end.getEpochSecond(), SHADE.getOrDefault(f, "#ccc"), f + " during " + r.run()));
        }
      }
      h.append("<section><h3>").append(Html.esc(e.getKey())).append("</h3>");
      h.append(Svg.timeChart(
          e.getKey() + ": TTFT p50 (1-way)",
          "ms",
          List.of(new Svg.Series("TTFT p50", "#d62728", ttft)),
          bands,
          null));
      h.append(Svg.timeChart(
          e.getKey() + ": decode p50 (1-way)",
          "tok/s",
          List.of(new Svg.Series("decode p50", "#2ca02c", decode)),
          bands,
          null));
      if (!ratio.isEmpty()) {
        h.append(Svg.timeChart(
            e.getKey() + ": N-way / 1-way TTFT p95",
            "ratio",
            List.of(new Svg.Series("ratio", "#9467bd", ratio)),
            bands,
            t.concurrencyRatio()));
      }
      h.append("</section>");
    }
    h.append("<h2>Before and after, per verdict</h2>");
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
      h.append(Svg.histogram(
          cand.host() + " " + cand.run() + " " + level + "-way: "
              + v.path("verdict").asText(),
          "ms",
          b,
          "baseline TTFT",
          c,
          "candidate TTFT"));
      shown++;
    }
    if (shown == 0) {
      h.append("<p>No verdict other than no_change.</p>");
    }
    h.append("<script>document.body.dataset.errors='';window.addEventListener('error',function(e){")
        .append(
            "document.body.dataset.errors+=e.message+';';});function countPlots(){var p=document.querySelectorAll(")
        .append(
            "'svg.plot'),ok=0;for(var i=0;i<p.length;i++){var b=p[i].getBBox();if(b.width>0&&b.height>0&&")
        .append(
            "p[i].querySelectorAll('.mark').length>0)ok++;}document.body.dataset.plots=p.length;")
        .append(
            "document.body.dataset.plotsRendered=ok;}if(document.readyState==='loading'){document.")
        .append("addEventListener('DOMContentLoaded',countPlots);}else{countPlots();}</script>");
    return h.append("</body></html>").toString();
  }

  private static String join(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(x -> out.add(x.asText()));
    return out.isEmpty() ? "-" : String.join(", ", out);
  }

  private static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }
}
