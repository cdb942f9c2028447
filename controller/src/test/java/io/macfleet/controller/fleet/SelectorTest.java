package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one selector grammar, as replays, schedules and the gate read it. */
class SelectorTest {
  private static final Map<String, String> CONTROL = Map.of("role", "control", "team", "ml");

  @Test
  void anyTermMayMatch() {
    Selector s = Selector.hosts("mac-a, gen=m4,team=ml");
    assertThat(s.terms())
        .containsExactly(
            new Selector.Name("mac-a"),
            new Selector.Generation("m4"),
            new Selector.Label("team", "ml"));
    assertThat(s.matches("mac-a", "M1", Map.of())).isTrue();
    assertThat(s.matches("mac-b", "M4", Map.of()))
        .as("generation, case-insensitive")
        .isTrue();
    assertThat(s.matches("mac-c", "M2", CONTROL)).isTrue();
    assertThat(s.matches("mac-d", "M2", Map.of("team", "web"))).isFalse();
    assertThat(s.matches("mac-d", null, Map.of())).isFalse();
    assertThat(Selector.hosts("all").matches("anything", null, Map.of())).isTrue();
    assertThat(Selector.hosts("role=control").matches("x", "M4", CONTROL)).isTrue();
  }

  @Test
  void oneNameIsReadAlone() {
    assertThat(Selector.hosts("mac-a").singleName()).contains("mac-a");
    assertThat(Selector.hosts("all").singleName()).isEmpty();
    assertThat(Selector.hosts("mac-a,mac-b").singleName()).isEmpty();
  }

  @Test
  void runsOnlyWhereRunsAreChosen() {
    Selector runs = Selector.hostsOrRuns("run:r-1, r-2,");
    assertThat(runs.byRun()).isTrue();
    assertThat(runs.runIds()).containsExactlyInAnyOrder("r-1", "r-2");
    assertThatThrownBy(() -> Selector.hosts("run:r-1"))
        .isInstanceOf(FleetException.class)
        .hasMessageContaining("selects runs, not hosts");
    assertThatThrownBy(() -> Selector.hostsOrRuns("run:"))
        .hasMessageContaining("at least one run id");
  }

  @Test
  void namesAndLabelsObeyTheirRules() {
    for (String bad :
        new String[] {"", " ", "mac a", "-mac", "mac;rm", "Team=x", "team=a b", "mac-\u001b[2K"}) {
      assertThatThrownBy(() -> Selector.hosts(bad))
          .as(bad)
          .isInstanceOf(FleetException.class)
          .extracting(e -> ((FleetException) e).kind())
          .isEqualTo(FleetException.Kind.INVALID);
    }
  }
}
