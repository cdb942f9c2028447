package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one duration grammar and the size grammar, as every option reads them. */
class ArgGrammarTest {
  @Test
  void durationsTakeEveryUnit() {
    assertThat(DurationArg.parse("--x", "500ms", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationArg.parse("--x", "90s", null)).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationArg.parse("--x", "15m", null)).isEqualTo(Duration.ofMinutes(15));
    assertThat(DurationArg.parse("--x", "24H", null)).isEqualTo(Duration.ofHours(24));
    assertThat(DurationArg.parse("--x", " 30d ", null)).isEqualTo(Duration.ofDays(30));
    assertThat(DurationArg.parse("--x", "2w", null)).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void aBareNumberKeepsItsOldUnitWhereAnOptionHadOne() {
    assertThat(DurationArg.parse("--run-timeout", "45", "m")).isEqualTo(Duration.ofMinutes(45));
    assertThat(DurationArg.parse("--commit-gap", "5", "ms")).isEqualTo(Duration.ofMillis(5));
    assertThatThrownBy(() -> DurationArg.parse("--retain-reports", "30", null))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--retain-reports takes a duration like")
        .hasMessageContaining("'30'");
  }

  @Test
  void refusesWhatIsNotADuration() {
    for (String bad : new String[] {"", "m", "-5m", "1.5h", "5 minutes", "9999999999999d", "5y"}) {
      assertThatThrownBy(() -> DurationArg.parse("--x", bad, null))
          .as(bad)
          .isInstanceOf(CliException.class)
          .extracting(e -> ((CliException) e).exitCode())
          .isEqualTo(ExitCodes.USAGE);
    }
  }

  @Test
  void retentionIsADurationOfAnHourOrMoreOrForever() {
    assertThat(DurationArg.retention("--retain-audit", "forever")).isNull();
    assertThat(DurationArg.retention("--retain-audit", "400d")).isEqualTo(Duration.ofDays(400));
    assertThatThrownBy(() -> DurationArg.retention("--retain-reports", "10m"))
        .hasMessageContaining("at least 1h");
  }

  @Test
  void sinceTakesTheSameGrammarOrAnInstant() {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    assertThat(TimeArg.since("90m", now)).isEqualTo(Instant.parse("2026-12-06T10:30:00Z"));
    assertThat(TimeArg.since("1w", now)).isEqualTo(Instant.parse("2026-11-29T12:00:00Z"));
    assertThat(TimeArg.since("2026-12-01T00:00:00+01:00", now))
        .isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
  }

  @Test
  void sizesTakeBinaryUnits() {
    assertThat(SizeArg.parse("--s", "262144")).isEqualTo(262144);
    assertThat(SizeArg.parse("--s", "256KiB")).isEqualTo(262144);
    assertThat(SizeArg.parse("--s", "16kb")).isEqualTo(16384);
    assertThat(SizeArg.parse("--s", "2MiB")).isEqualTo(2 << 20);
    assertThat(SizeArg.parse("--s", "1g")).isEqualTo(1L << 30);
    assertThatThrownBy(() -> SizeArg.parse("--max-report-size", "big"))
        .hasMessageContaining("--max-report-size");
  }
}
