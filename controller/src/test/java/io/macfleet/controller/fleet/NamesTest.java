package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void hostNamesAreSafeInShellsLogsAndTables() {
    for (String ok : new String[] {"mac-01", "Mini.lab_7", "a", "x".repeat(128)}) {
      assertThat(Names.host(ok)).isEqualTo(ok);
    }
    for (String bad : new String[] {
      null, "", "-mac", ".mac", "mac 1", "mac;rm", "mac$(id)", "mac\n", "x".repeat(129), "mäc"
    }) {
      assertThatThrownBy(() -> Names.host(bad))
          .as(String.valueOf(bad))
          .isInstanceOf(FleetException.class)
          .hasMessageContaining("invalid host name");
    }
  }

  @Test
  void labelsHaveLowercaseKeysAndPlainValues() {
    Names.label("role", "control");
    Names.label("ollama.bin", "/opt/homebrew/bin/ollama");
    Names.label("team/owner", "ml@example.com");
    Names.label("empty", "");
    assertThatThrownBy(() -> Names.label("Role", "x")).hasMessageContaining("invalid label key");
    assertThatThrownBy(() -> Names.label("role", "a b"))
        .hasMessageContaining("invalid value for label role");
    assertThatThrownBy(() -> Names.label("role", "$(id)")).hasMessageContaining("invalid value");
  }

  @Test
  void printableNeverEchoesAControlCharacterAndCutsLongInput() {
    assertThat(Names.printable("mac\u001b[2K\r\n")).isEqualTo("mac?[2K??");
    assertThat(Names.printable(null)).isEmpty();
    assertThat(Names.printable("y".repeat(100))).hasSize(81).endsWith("…");
  }
}
