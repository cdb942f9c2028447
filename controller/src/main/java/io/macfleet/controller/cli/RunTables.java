package io.macfleet.controller.cli;

import io.macfleet.proto.v1.LevelResult;
import io.macfleet.proto.v1.RunSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** How runs read in a terminal: one row per run and concurrency level. */
final class RunTables {
  private RunTables() {}

  static void print(List<RunSummary> runs, PrintWriter out) {
    if (runs.isEmpty()) {
      out.println("no runs");
      return;
    }
    Table t = new Table("RUN", "HOST", "MODEL", "STATUS", "LEVEL", "N", "ERR", "TTFT p50", "TTFT p95", "prefill/s",
        "decode/s", "REQUESTED", "REASON");
    for (RunSummary r : runs) {
      if (r.getLevelsCount() == 0) {
        t.add(r.getId(), r.getHost(), r.getModel(), r.getStatus(), "-", "-", "-", "-", "-", "-", "-",
            Formats.instant(r.getRequestedAt()), Formats.orDash(r.getReason()));
      }
      for (LevelResult l : r.getLevelsList()) {
        t.add(r.getId(), r.getHost(), r.getModel(), r.getStatus(), l.getConcurrency() + "-way",
            Integer.toString(l.getSamples()), Integer.toString(l.getErrors()),
            l.hasTtftP50Ms() ? num(l.getTtftP50Ms()) : "-", l.hasTtftP95Ms() ? num(l.getTtftP95Ms()) : "-",
            l.hasPrefillP50Tps() ? num(l.getPrefillP50Tps()) : "-", l.hasDecodeP50Tps() ? num(l.getDecodeP50Tps()) : "-",
            Formats.instant(r.getRequestedAt()), Formats.orDash(r.getReason()));
      }
    }
    t.print(out);
  }

  static String num(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
