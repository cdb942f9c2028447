package io.macfleet.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceCounterTest {
  @Test
  void neverReusesANumberAcrossRestarts(@TempDir Path dir) throws Exception {
    SequenceCounter a = new SequenceCounter(dir.resolve("seq"), 0);
    assertThat(a.next()).isEqualTo(1);
    assertThat(a.next()).isEqualTo(2);
    SequenceCounter b = new SequenceCounter(dir.resolve("seq"), 0);
    assertThat(b.next()).isEqualTo(3);
    // a spool holding higher numbers than the counter file (restored backup) wins
    assertThat(new SequenceCounter(dir.resolve("seq"), 40).next()).isEqualTo(41);
  }

  @Test
  void aDamagedCounterIsAnErrorNotAReset(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("seq"), "12x");
    assertThatThrownBy(() -> new SequenceCounter(dir.resolve("seq"), 0))
        .hasMessageContaining("damaged");
  }
}
