package io.macfleet.controller.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a file may not say: negative durations and rates; and a repeated sample counts once. */
class InterchangeReaderTest {
  private static final String RUN =
      "{\"kind\":\"run\",\"run\":\"r1\",\"host\":\"mac-a\",\"started_at\":"
          + "\"2026-11-01T00:00:00Z\",\"ended_at\":\"%s\",\"model\":\"m:1\"}";
  private static final String SAMPLE =
      "{\"kind\":\"sample\",\"run\":\"r1\",\"at\":\"2026-11-01T00:00:0%dZ\","
          + "\"concurrency\":1,\"cold\":false,\"ttft_ms\":%s,\"prefill_tps\":900.0,\"decode_tps\":40.0}";

  @Test
  void negativeDurationsAndRatesAreRefusedWithTheirLine() {
    for (String[] bad : new String[][] {
      {String.format(SAMPLE, 1, "-5.0"), "\"ttft_ms\" must not be negative"},
      {
        String.format(SAMPLE, 1, "5.0").replace("\"decode_tps\":40.0", "\"decode_tps\":-1"),
        "\"decode_tps\" must not be negative"
      },
      {String.format(RUN, "2026-10-31T23:59:00Z"), "\"ended_at\" is before started_at"}
    }) {
      assertThatThrownBy(() -> InterchangeReader.readAll(
              List.of(String.format(RUN, "2026-11-01T00:04:00Z"), bad[0]), r -> {}))
          .as(bad[0])
          .isInstanceOf(InterchangeException.class)
          .hasMessageContaining("line 2")
          .hasMessageContaining(bad[1]);
    }
  }

  @Test
  void aRepeatedSampleLineCountsOnceWithAWarning() throws Exception {
    List<Records.Record> got = new ArrayList<>();
    var r = InterchangeReader.readAll(
        List.of(
            String.format(RUN, "2026-11-01T00:04:00Z"),
            String.format(SAMPLE, 1, "100.0"),
            String.format(SAMPLE, 2, "100.0"),
            String.format(SAMPLE, 1, "100.0")),
        got::add);
    assertThat(got).hasSize(3); // the run and two distinct samples
    assertThat(r.warnings())
        .containsExactly("line 4: repeats the sample of line 2 (run r1); counted once");
  }
}
