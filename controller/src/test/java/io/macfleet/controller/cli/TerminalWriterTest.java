package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalWriterTest {
  @Test
  void controlCharactersReachNoTerminalButLinesAndTabsDo() {
    StringWriter s = new StringWriter();
    PrintWriter w = TerminalWriter.wrap(new PrintWriter(s));
    w.print("qwen3:8b\u001b[2K\u001b[1A\u0007 ok\tcol\r\n");
    w.println("over\rwrite\u009b31m\u007f");
    w.printf("%s|%n", "bell\u0007");
    w.write('\u001b');
    w.flush();
    assertThat(s.toString())
        .isEqualTo("qwen3:8b\\x1b[2K\\x1b[1A\\x07 ok\tcol\r\n" + "over\\x0dwrite\\x9b31m\\x7f"
            + System.lineSeparator() + "bell\\x07|" + System.lineSeparator() + "\\x1b");
  }

  @Test
  void everyCommandsOutputGoesThroughIt() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MacfleetMain.run(
        new PrintWriter(out),
        new PrintWriter(err),
        "host",
        "mac\u001b]0;pwned\u0007",
        "--controller",
        "127.0.0.1:1",
        "--insecure");
    assertThat(code).isNotZero();
    assertThat(err.toString()).doesNotContain("\u001b").doesNotContain("\u0007");
  }
}
