package io.macfleet.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  @Test
  void capturesStdoutAndStderrApartWithCLocale() throws Exception {
    CommandResult r =
        new CommandRunner().run("/bin/sh", "-c", "echo out; echo err >&2; echo $LC_ALL");
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).isEqualTo("out\nC\n");
    assertThat(r.stderr()).isEqualTo("err\n");
  }

  @Test
  void killsACommandThatHangs() throws Exception {
    long t0 = System.nanoTime();
    CommandResult r = new CommandRunner(Duration.ofMillis(300), 1024).run("/bin/sleep", "30");
    assertThat(r.timedOut()).isTrue();
    assertThat(r.ok()).isFalse();
    assertThat(r.failureSummary()).isEqualTo("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void capsOutputWithoutBlockingTheChild() throws Exception {
    CommandResult r = new CommandRunner(Duration.ofSeconds(10), 1000)
        .run("/bin/sh", "-c", "yes | head -c 200000");
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).hasSize(1000);
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void failureSummaryCarriesExitAndFirstStderrLine() throws Exception {
    CommandResult r =
        new CommandRunner().run("/bin/sh", "-c", "echo 'no such key' >&2; echo more >&2; exit 3");
    assertThat(r.failureSummary()).isEqualTo("exit 3: no such key");
  }

  @Test
  void refusesRelativePaths() {
    assertThatThrownBy(() -> new CommandRunner().run("sysctl", "hw.model"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute path");
    assertThat(CommandRunner.available("/definitely/not/here")).isFalse();
  }
}
