package io.macfleet.controller.cli;

import io.macfleet.controller.verdict.Verdict;
import java.io.PrintWriter;
import java.util.List;

/** Verdicts as a table, each followed by its one-line explanation. */
final class VerdictTables {
  private VerdictTables() {}

  static void print(List<Verdict> verdicts, PrintWriter out) {
    if (verdicts.isEmpty()) {
      out.println("no runs to judge");
      return;
    }
    Table t = new Table("HOST", "MODEL", "RUN", "LEVEL", "VERDICT", "FACTORS", "CONTROL");
    for (Verdict v : verdicts) {
      t.add(
          v.host(),
          v.model(),
          v.run(),
          v.concurrency() + "-way",
          v.verdict().wire(),
          v.factors().isEmpty() ? "-" : String.join(",", v.factors()),
          v.control() == null
              ? "-"
              : v.control().host() + (v.control().reproduced() ? " (reproduced)" : " (flat)"));
    }
    t.print(out);
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
