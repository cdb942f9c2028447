package io.macfleet.agent.collect.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChipParserTest {
  @ParameterizedTest
  @CsvSource({
    "Apple M1, M1, base",
    "Apple M1 Pro, M1, Pro",
    "Apple M4 Max, M4, Max",
    "Apple M3 Ultra, M3, Ultra",
    "Apple M5, M5, base",
    "'  Apple M2 Pro  ', M2, Pro"
  })
  void splitsGenerationAndTier(String brand, String gen, String tier) {
    Chip c = ChipParser.parse(brand);
    assertThat(c.generation()).isEqualTo(gen);
    assertThat(c.tier()).isEqualTo(tier);
    assertThat(c.appleSilicon()).isTrue();
  }

  @Test
  void nonAppleBrandsKeepTheBrandAndNoGeneration() {
    Chip c = ChipParser.parse("Intel(R) Core(TM) i7-8700B CPU @ 3.20GHz");
    assertThat(c.brand()).startsWith("Intel");
    assertThat(c.generation()).isEmpty();
    assertThat(c.appleSilicon()).isFalse();
    assertThat(ChipParser.parse(null).brand()).isEmpty();
  }

  @Test
  void realBrandStringCapture() throws Exception {
    Chip c = ChipParser.parse(
        Fixtures.read("macos/sysctl-n-machdep.cpu.brand_string.idx43552286153-m1.txt"));
    assertThat(c.generation()).isEqualTo("M1");
    assertThat(c.tier()).isEqualTo("base");
  }

  @Test
  void realSysctlDumpGivesModelMemoryAndChip() throws Exception {
    var kv = KeyValueParser.colon(
        Fixtures.read("macos/sysctl-hw-machdep-kern.ansible-m1pro-14.4.1.txt"));
    assertThat(kv.get("hw.model")).isEqualTo("MacBookPro18,1");
    assertThat(kv.get("hw.memsize")).isEqualTo("34359738368");
    assertThat(ChipParser.parse(kv.get("machdep.cpu.brand_string")).tier()).isEqualTo("Pro");
  }
}
