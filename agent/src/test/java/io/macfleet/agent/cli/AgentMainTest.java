package io.macfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The daemon builds only its own command; the help, `help COMMAND` and a typo still see every command. */
class AgentMainTest {
  private record Ran(int code, String out, String err) {}

  private static Ran run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AgentMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Ran(code, out.toString(), err.toString());
  }

  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    assertThat(AgentMain.chosen("run", "--state-dir", "/x")).containsExactly(RunCommand.class);
    assertThat(AgentMain.chosen("class-archive")).containsExactly(ClassArchiveCommand.class);
    assertThat(AgentMain.chosen()).isEqualTo(AgentMain.COMMANDS);
    assertThat(AgentMain.chosen("help", "run")).isEqualTo(AgentMain.COMMANDS);
    assertThat(AgentMain.chosen("--help")).isEqualTo(AgentMain.COMMANDS);
    assertThat(AgentMain.chosen("rnu")).isEqualTo(AgentMain.COMMANDS);
  }

  @Test
  void classArchiveNeedsAnEnrolledAgentAndSaysSo(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Ran notEnrolled = run("class-archive", "--state-dir", dir.toString());
    assertThat(notEnrolled.code()).isEqualTo(1);
    assertThat(notEnrolled.err()).contains("holds no enrollment: enroll first");
    Ran tooLong = run("class-archive", "--state-dir", dir.toString(), "--seconds", "3600");
    assertThat(tooLong.code()).isEqualTo(1);
    assertThat(tooLong.err()).contains("--seconds must be 5 to 600");
  }

  @Test
  void theHelpAndHelpForOneCommandAndATypoStillWork() {
    Ran help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains("run", "enroll", "collect", "probe", "launchd-plist", "class-archive");
    Ran helpRun = run("help", "run");
    assertThat(helpRun.code()).isZero();
    assertThat(helpRun.out()).contains("--exit-after", "--interval");
    Ran typo = run("rnu");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("rnu");
    Ran bad = run("run", "--interval", "0s", "--state-dir", "/nonexistent/macfleet");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--interval must be at least 1s");
  }
}
