package io.macfleet.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.macfleet.controller.verdict.Verdict;
import java.io.PrintWriter;
import java.util.List;

/** Verdicts as a table, each followed by its one-line explanation. */
final class VerdictTables {
  private VerdictTables() {}

  /** The verdict, with a failure's symptom and scope: "failure (midstream_crash, concurrency_only)". */
  static String verdictCell(JsonNode v) {
    String kind = v.path("verdict").asText();
    return v.path("symptom").isTextual()
        ? kind + " (" + v.path("symptom").asText() + ", " + v.path("scope").asText() + ")"
        : kind;
  }

  /** The control consulted and what it showed: the same slowdown or failure, or not. */
  static String controlCell(JsonNode v) {
    JsonNode c = v.path("control");
    if (!c.isObject()) {
      return "-";
    }
    boolean failure = v.path("symptom").isTextual();
    boolean reproduced = c.path("reproduced").asBoolean();
    return c.path("host").asText()
        + (failure
            ? reproduced ? " (failed too)" : " (clean)"
            : reproduced ? " (reproduced)" : " (flat)");
  }

  static void print(List<Verdict> verdicts, PrintWriter out, boolean wide) {
    if (verdicts.isEmpty()) {
      out.println("no runs to judge");
      return;
    }
    // the run is on each explanation's line below
    Table t = new Table("HOST", "MODEL", "RUN", "LEVEL", "VERDICT", "FACTORS", "CONTROL")
        .wideOnly("RUN")
        .whole("VERDICT");
    for (Verdict v : verdicts) {
      t.add(
          v.host(),
          v.model(),
          v.run(),
          v.concurrency() + "-way",
          verdictCell(v.toJson()),
          v.factors().isEmpty() ? "-" : String.join(",", v.factors()),
          controlCell(v.toJson()));
    }
    t.print(out, wide);
    out.println();
    for (Verdict v : verdicts) {
      out.println(Table.escape(v.host()) + " " + Table.escape(v.run()) + " " + v.concurrency()
          + "-way " + v.verdict().wire() + ": " + Table.escape(v.explanation()));
      var next = io.macfleet.controller.verdict.NextStep.of(v);
      if (next != io.macfleet.controller.verdict.NextStep.NONE) {
        String command = next.command(v.host(), v.model());
        out.println("  next: " + next.wire() + " (" + next.advice() + ")"
            + (command.isEmpty() ? "" : " — " + Table.escape(command)));
      }
    }
  }
}
