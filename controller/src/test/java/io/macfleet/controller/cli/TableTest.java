package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
}
