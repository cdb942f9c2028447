package io.macfleet.controller.cli;

import io.macfleet.proto.v1.LevelResult;
import io.macfleet.proto.v1.RunSummary;
import java.io.PrintWriter;
import java.util.List;

/** How runs read in a terminal: one row per run and concurrency level. */
final class RunTables {
  private RunTables() {}

  /**
   * One row per run and level. Without --wide: no sample count, p95 or prefill, the age instead of the local
   * time, and each reason on a line under the table.
   */
  static void print(List<RunSummary> runs, PrintWriter out, boolean wide) {
    if (runs.isEmpty()) {
      out.println("no runs");
      return;
    }
    Table t = new Table(
            "RUN",
            "HOST",
            "MODEL",
            "STATUS",
            "LEVEL",
            LEVEL_COLUMNS[0],
            LEVEL_COLUMNS[1],
            LEVEL_COLUMNS[2],
            LEVEL_COLUMNS[3],
            LEVEL_COLUMNS[4],
            LEVEL_COLUMNS[5],
            "REQUESTED",
            "AGE",
            "REASON")
        .wideOnly("N", "TTFT p95 ms", "prefill tok/s", "REQUESTED")
        .detail("REASON")
        .whole("STATUS");
    java.time.Instant now = java.time.Instant.now();
    for (RunSummary r : runs) {
      if (r.getLevelsCount() == 0) {
        t.add(
            r.getId(),
            r.getHost(),
            r.getModel(),
            Formats.word(r.getStatus()),
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            Formats.local(r.getRequestedAt()),
            Formats.ago(r.getRequestedAt(), now),
            Formats.orDash(r.getReason()));
      }
      for (LevelResult l : r.getLevelsList()) {
        String[] cells = levelCells(l);
        t.add(
            r.getId(),
            r.getHost(),
            r.getModel(),
            Formats.word(r.getStatus()),
            l.getConcurrency() + "-way",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            Formats.local(r.getRequestedAt()),
            Formats.ago(r.getRequestedAt(), now),
            Formats.orDash(r.getReason()));
      }
    }
    t.print(out, wide);
  }

  /** One CSV line per run and level; a run without levels (missed, failed) gets one line with empty figures. */
  static void csv(List<RunSummary> runs, PrintWriter out) {
    Csv csv = new Csv(
        out,
        "run",
        "host",
        "model",
        "purpose",
        "status",
        "concurrency",
        "samples",
        "errors",
        "ttft_p50_ms",
        "ttft_p95_ms",
        "ttft_p99_ms",
        "prefill_p50_tps",
        "decode_p50_tps",
        "ttft_p95_ratio",
        "requested_at",
        "finished_at",
        "reason");
    for (RunSummary r : runs) {
      List<LevelResult> levels =
          r.getLevelsCount() == 0 ? java.util.Collections.singletonList(null) : r.getLevelsList();
      for (LevelResult l : levels) {
        csv.row(
            r.getId(),
            r.getHost(),
            r.getModel(),
            Formats.word(r.getPurpose()),
            Formats.word(r.getStatus()),
            l == null ? "" : Integer.toString(l.getConcurrency()),
            l == null ? "" : Integer.toString(l.getSamples()),
            l == null ? "" : Integer.toString(l.getErrors()),
            l != null && l.hasTtftP50Ms() ? Double.toString(l.getTtftP50Ms()) : "",
            l != null && l.hasTtftP95Ms() ? Double.toString(l.getTtftP95Ms()) : "",
            l != null && l.hasTtftP99Ms() ? Double.toString(l.getTtftP99Ms()) : "",
            l != null && l.hasPrefillP50Tps() ? Double.toString(l.getPrefillP50Tps()) : "",
            l != null && l.hasDecodeP50Tps() ? Double.toString(l.getDecodeP50Tps()) : "",
            r.hasTtftP95Ratio() ? Double.toString(r.getTtftP95Ratio()) : "",
            Formats.instant(r.getRequestedAt()),
            Formats.instant(r.getFinishedAt()),
            r.getReason());
      }
    }
  }

  /** 123 or 12.3; by hand because String.format, cold in a fresh CLI JVM, took seconds over 10,000 rows. */
  /** The figures of one level, as `runs`, `run` and `report` print them, with their units. */
  static final String[] LEVEL_COLUMNS = {
    "N", "ERR", "TTFT p50 ms", "TTFT p95 ms", "prefill tok/s", "decode tok/s"
  };

  static String[] levelCells(LevelResult l) {
    return new String[] {
      Integer.toString(l.getSamples()),
      Integer.toString(l.getErrors()),
      l.hasTtftP50Ms() ? num(l.getTtftP50Ms()) : "-",
      l.hasTtftP95Ms() ? num(l.getTtftP95Ms()) : "-",
      l.hasPrefillP50Tps() ? num(l.getPrefillP50Tps()) : "-",
      l.hasDecodeP50Tps() ? num(l.getDecodeP50Tps()) : "-"
    };
  }

  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    if (Math.abs(v) >= 100) {
      return Long.toString(Math.round(v));
    }
    long tenths = Math.round(Math.abs(v) * 10);
    return (v < 0 && tenths != 0 ? "-" : "") + (tenths / 10) + "." + (tenths % 10);
  }
}
