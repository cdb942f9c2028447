package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the chosen subcommand is built; the help, a typo, `help NAME` and @FILE still see every one. */
class SubcommandsTest {
  @TempDir
  Path tmp;

  @Test
  void theChosenSubcommandIsTheFirstWordThatNamesOne() {
    assertThat(Subcommands.chosen(new String[] {"hosts", "--json"})).isEqualTo("hosts");
    assertThat(Subcommands.chosen(new String[] {"-h", "schedule", "add"})).isEqualTo("schedule");
    assertThat(Subcommands.chosen(new String[] {"hostz"})).isNull();
    assertThat(Subcommands.chosen(new String[] {"--version"})).isNull();
    assertThat(Subcommands.chosen(new String[] {})).isNull();
  }

  @Test
  void theHelpListsEveryCommandWithItsDescription() {
    var r = TestController.cliRaw("--help");
    assertThat(r.code()).isZero();
    for (Class<?> c : Subcommands.ALL) {
      String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
      assertThat(r.out()).as(name).containsPattern("(?m)^  " + name + "\\b");
    }
    assertThat(r.out()).contains("List the fleet: one row per host.");
    var help = TestController.cliRaw("help", "hosts");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("macfleet hosts", "--wide", "--limit");
    // --wide only where there is a table to widen; --json everywhere
    assertThat(TestController.cliRaw("help", "drift").out())
        .contains("--json")
        .doesNotContain("--wide");
    assertThat(TestController.cliRaw("--version").out()).startsWith("macfleet ");
  }

  @Test
  void argumentsFromAFileReachTheirCommand() throws Exception {
    Path args = Files.writeString(tmp.resolve("args"), "replay\nmac-a\n");
    var r = TestController.cliRaw("@" + args);
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required option: '--model=NAME'");
  }
}
