package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every table the CLI prints escapes what a Mac sent before it reaches a terminal. */
class TableTest {
  @Test
  void controlCharactersFromAHostilePeerArePrintedEscaped() {
    // what a hostile Ollama profile delivered through the unmodified agent: erase the line, move
    // the cursor up
    String hostile = "qwen3:8b\u001b[2K\u001b[1A\r\nmac-evil  online\u0007\u009b";
    Table t = new Table("MODEL", "HOST");
    t.add(hostile, "mac-a");
    StringWriter out = new StringWriter();
    t.print(new PrintWriter(out));
    String printed = out.toString();
    assertThat(printed)
        .doesNotContain("\u001b")
        .doesNotContain("\u0007")
        .doesNotContain("\r")
        .doesNotContain("\u009b");
    assertThat(printed.lines()).hasSize(2); // the forged row is not a row
    assertThat(printed).contains("qwen3:8b\\x1b[2K\\x1b[1A\\x0d\\x0amac-evil  online\\x07\\x9b");
    // ordinary text, Unicode included, is left alone
    assertThat(Table.escape("llama3.2:latest · 3B")).isEqualTo("llama3.2:latest · 3B");
  }

  private static List<String> print(Table t, boolean wide) {
    StringWriter out = new StringWriter();
    t.print(new PrintWriter(out), wide);
    return out.toString().lines().toList();
  }

  private static Table wideTable() {
    Table t =
        new Table("NAME", "CHIP", "LABELS", "REASON", "STATUS").wideOnly("CHIP").detail("REASON");
    t.add(
        "mac-a",
        "Apple M4 Pro",
        "role=control,rack=r1," + "x".repeat(90),
        "too hot: 104 C",
        "online");
    t.add("mac-b", "Apple M1", "role=fleet", "-", "stale");
    return t;
  }

  @Test
  void byDefaultEveryLineFitsAHundredColumnsAndLongCellsEndInAnEllipsis() {
    List<String> lines = print(wideTable(), false);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Table.WIDTH));
    assertThat(lines.get(0)).startsWith("NAME").doesNotContain("CHIP").doesNotContain("REASON");
    assertThat(lines.get(1)).contains("role=control,rack=r1,x").contains("…").endsWith("online");
    // the reason moved under the table, whole; a row without one adds no line
    assertThat(lines).contains("mac-a  REASON: too hot: 104 C").hasSize(4);
  }

  @Test
  void wideShowsEveryColumnWhole() {
    List<String> lines = print(wideTable(), true);
    assertThat(lines.get(0)).contains("CHIP").contains("REASON");
    assertThat(lines.get(1))
        .contains("x".repeat(90))
        .contains("too hot: 104 C")
        .doesNotContain("…");
    assertThat(lines).hasSize(3);
  }

  @Test
  void fitNarrowsTheWidestColumnsButNeverTheFirstOrBelowTheMinimum() {
    int[] w = {40, 60, 30, 5};
    Table.fit(w);
    assertThat(w[0]).isEqualTo(40);
    assertThat(w[1] + w[2] + w[3] + w[0] + 6).isEqualTo(Table.WIDTH);
    int[] narrow = {95, 20, 20};
    Table.fit(narrow);
    assertThat(narrow).containsExactly(95, Table.MIN_CUT, Table.MIN_CUT);
  }

  @Test
  void aWholeColumnIsNeverCutAnotherIsInstead() {
    Table t = new Table("HOST", "VERDICT", "FACTORS").whole("VERDICT");
    t.add(
        "mac-s", "failure (load_failure, fleet)".repeat(2), "llama.cpp,ollama_version,".repeat(4));
    String row = print(t, false).get(1);
    assertThat(row).contains("failure (load_failure, fleet)".repeat(2)).endsWith("…");
    assertThat(row.length()).isLessThanOrEqualTo(Table.WIDTH);
  }
}
