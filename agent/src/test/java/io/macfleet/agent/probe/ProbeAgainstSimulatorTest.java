package io.macfleet.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.macfleet.simulator.OllamaSimulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe measured against the simulator's configured truth, and every fault classified. */
class ProbeAgainstSimulatorTest {
  @TempDir
  Path dir;

  static final String GGUF = "llama3.2:latest";
  static final String MLX = "qwen3.6:35b-a3b-nvfp4";

  OllamaSimulator sim(String timing, String faults) throws Exception {
    Path p = dir.resolve("profile-" + System.nanoTime() + ".json");
    Files.writeString(
        p,
        "{\"version\":\"0.32.15\",\"models\":["
            + "{\"name\":\"" + GGUF + "\",\"digest\":\"" + "a".repeat(64)
            + "\",\"format\":\"gguf\",\"loaded\":true},"
            + "{\"name\":\"" + MLX + "\",\"digest\":\"" + "b".repeat(64)
            + "\",\"format\":\"safetensors\",\"loaded\":true}],"
            + "\"timing\":{" + timing + "},\"faults\":{" + faults + "}}");
    return OllamaSimulator.start(p, 0);
  }

  static ProbeOptions options(String model, int samples, List<Integer> levels) {
    return ProbeOptions.defaults(model)
        .withSamples(samples)
        .withConcurrency(levels)
        .withNumPredict(16)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  @Test
  void aLevelStopsAfterThreeHungRequestsInARowAndTheRunSaysEveryRequestFailed() throws Exception {
    try (OllamaSimulator s = sim("\"ttft_ms\":5", "\"hang_ms\":2000")) {
      ProbeOptions o = options(GGUF, 24, List.of(1, 2))
          .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(10));
      ProbeRun run = new ProbeRunner(s.url(), null).run(o);
      // 1-way: three hung in a row, then no more; 2-way: both streams' requests in flight finish,
      // then none
      assertThat(run.levels().get(0).samples()).isEqualTo(ProbeRunner.HUNG_IN_A_ROW);
      assertThat(run.levels().get(1).samples())
          .isBetween(ProbeRunner.HUNG_IN_A_ROW, ProbeRunner.HUNG_IN_A_ROW + 1);
      assertThat(ProbeWork.everyRequestFailed(run.levels()))
          .startsWith("every request failed: hung ");
      assertThat(ProbeWork.toProto("r-1", run).getCompleted()).isFalse();
    }
  }

  @Test
  void aRunWithOneGoodRequestIsNotCalledFailed() {
    var good = new LevelSummary(
        1,
        24,
        23,
        java.util.Map.of("hung", 20, "refused", 3),
        10.0,
        12.0,
        13.0,
        20.0,
        100.0,
        50.0,
        0.0);
    var bad = new LevelSummary(
        4,
        24,
        24,
        java.util.Map.of("midstream_error", 24),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
    assertThat(ProbeWork.everyRequestFailed(List.of(good, bad))).isNull();
    var bad1 = new LevelSummary(
        1,
        24,
        24,
        java.util.Map.of("hung", 3, "refused", 21),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
    assertThat(ProbeWork.everyRequestFailed(List.of(bad1, bad)))
        .isEqualTo("every request failed: midstream_error 24, refused 21, hung 3");
    assertThat(ProbeWork.everyRequestFailed(List.of())).isNull();
  }

  @Test
  void ttftAndDecodeMatchTheConfiguredTiming() throws Exception {
    try (OllamaSimulator s =
        sim("\"ttft_ms\":120,\"decode_tokens_per_s\":100,\"num_parallel\":4", "")) {
      ProbeRun run = new ProbeRunner(s.url(), null).run(options(GGUF, 24, List.of(1)));
      LevelSummary one = run.levels().get(0);
      assertThat(one.errors()).isZero();
      assertThat(one.samples()).isEqualTo(24);
      // The probe times at the socket, so the first token cannot show before the simulator's 120
      // ms. The ceiling
      // stays under the second token (130 ms). How close it gets (about 1 ms on a quiet machine) is
      // bench/probe-accuracy.sh's to measure; with both cores busy elsewhere the p50 here read
      // 122.4–123.5 ms.
      assertThat(one.ttftP50Ms()).isBetween(119.0, 128.0);
      assertThat(one.decodeP50TokensPerSecond()).isCloseTo(100.0, within(1.0)); // ±1 %
      ProbeSample sample = run.samples().stream()
          .filter(x -> x.phase().equals("steady"))
          .findFirst()
          .orElseThrow();
      assertThat(sample.interTokenP50Ms()).isCloseTo(10.0, within(1.0));
      assertThat(sample.chunks()).isEqualTo(16);
      assertThat(sample.doneReason()).isEqualTo("length");
      assertThat(run.samples()).filteredOn(x -> x.phase().equals("warmup")).hasSize(1);
      assertThat(run.invalidatedBecause()).isEmpty();
      assertThat(run.tripleAtStart().modelDigest()).isEqualTo("a".repeat(64));
    }
  }

  @Test
  void fourWayQueuesOnTheSerialMlxRunnerButNotOnParallelGguf() throws Exception {
    try (OllamaSimulator s =
        sim("\"ttft_ms\":40,\"decode_tokens_per_s\":400,\"num_parallel\":4", "")) {
      ProbeRunner runner = new ProbeRunner(s.url(), null);
      ProbeRun mlx = runner.run(options(MLX, 8, List.of(1, 4)));
      // one at a time: the 4th in line waits for three whole answers (each 40 ms + 15 tokens × 2.5
      // ms)
      assertThat(mlx.ttftP95Ratio()).isGreaterThan(2.8);
      // The queue sets a floor that no scheduling luck can beat. Above it, a loaded 2-core CI
      // machine stretched
      // each of the three answers ahead (361 ms seen against 272.5), so the ceiling only rules out
      // a queue
      // deeper than the four callers: eight in line would be 40 + 7 × 77.5 ms.
      double fourthInLine = 40 + 3 * (40 + 15 * 2.5);
      assertThat(mlx.levels().get(1).ttftP95Ms())
          .isBetween(fourthInLine - 5, 40 + 7 * (40 + 15 * 2.5));
      // 24 samples: with 8 the p95 is the single slowest call, and one scheduling hiccup on a busy
      // 2-core CI
      // machine pushed the ratio past 1.5; parallel stays far below the serial runner's > 2.8
      ProbeRun gguf = runner.run(options(GGUF, 24, List.of(1, 4)));
      assertThat(gguf.ttftP95Ratio()).isLessThan(2.0);
      assertThat(mlx.samples())
          .filteredOn(x -> x.concurrency() == 4)
          .extracting(ProbeSample::stream)
          .containsOnly(0, 1, 2, 3);
    }
  }

  @Test
  void everyFaultIsClassified() throws Exception {
    try (OllamaSimulator s =
        sim("\"ttft_ms\":5,\"decode_tokens_per_s\":1000", "\"error_after_tokens\":3")) {
      ProbeSample x =
          new StreamingProbe(s.url()).run(options(GGUF, 1, List.of(1)), "hi", 1, 0, 0, "steady");
      assertThat(x.error()).isEqualTo(ErrorClass.MIDSTREAM_ERROR);
      assertThat(x.errorMessage()).contains("mlx runner failed");
      assertThat(x.chunks()).isEqualTo(3);
    }
    try (OllamaSimulator s =
        sim("\"ttft_ms\":5,\"decode_tokens_per_s\":1000", "\"end_without_done_after_tokens\":4")) {
      ProbeSample x =
          new StreamingProbe(s.url()).run(options(GGUF, 1, List.of(1)), "hi", 1, 0, 0, "steady");
      assertThat(x.error()).isEqualTo(ErrorClass.NO_DONE);
    }
    try (OllamaSimulator s = sim("\"ttft_ms\":5", "\"hang_ms\":3000")) {
      ProbeOptions o =
          options(GGUF, 1, List.of(1)).withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      ProbeSample x = new StreamingProbe(s.url()).run(o, "hi", 1, 0, 0, "steady");
      assertThat(x.error()).isEqualTo(ErrorClass.HUNG);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }
    try (OllamaSimulator s = sim("\"ttft_ms\":5", "")) {
      ProbeSample x = new StreamingProbe(s.url())
          .run(options("nope:1", 1, List.of(1)), "hi", 1, 0, 0, "steady");
      assertThat(x.error()).isEqualTo(ErrorClass.MODEL_MISSING);
      assertThat(x.errorMessage()).contains("model 'nope:1' not found");
    }
    try (OllamaSimulator s =
        sim("\"ttft_ms\":200,\"decode_tokens_per_s\":100,\"max_queue\":0", "")) {
      // MLX serves one at a time and nobody may wait: the second of two concurrent requests is
      // refused
      ProbeRun run = new ProbeRunner(s.url(), null).run(options(MLX, 4, List.of(2)));
      assertThat(run.levels().get(0).errorsByClass()).containsKey("queue_full");
    }
    int closed;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = ss.getLocalPort();
    }
    ProbeSample refused = new StreamingProbe("http://127.0.0.1:" + closed)
        .run(options(GGUF, 1, List.of(1)), "hi", 1, 0, 0, "steady");
    assertThat(refused.error()).isEqualTo(ErrorClass.REFUSED);
  }

  @Test
  void aModelNotInTheStoreIsAClearErrorBeforeAnyRequest() throws Exception {
    try (OllamaSimulator s = sim("\"ttft_ms\":5", "")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> new ProbeRunner(s.url(), null).run(options("nope:1", 2, List.of(1))))
          .hasMessageContaining("ollama pull nope:1");
    }
  }

  @Test
  void aTrueColdStartUnloadsThenMeasuresTheLoad() throws Exception {
    try (OllamaSimulator s =
        sim("\"ttft_ms\":10,\"decode_tokens_per_s\":500,\"load_ms\":300", "")) {
      ProbeRun run =
          new ProbeRunner(s.url(), null).run(options(GGUF, 2, List.of(1)).withCold(true));
      ProbeSample cold = run.samples().stream()
          .filter(x -> x.phase().equals("cold"))
          .findFirst()
          .orElseThrow();
      assertThat(cold.loadDurationNs()).isGreaterThanOrEqualTo(300_000_000L);
      // load 300 ms + ttft 10 ms is the floor; one sample on a busy machine can run late, and the
      // ceiling only
      // rules out the load being counted twice
      assertThat(cold.ttftMs()).isBetween(310.0, 600.0);
      assertThat(run.levels().get(0).ttftP50Ms()).isLessThan(100); // steady state is warm again
    }
  }

  @Test
  void everyPromptOpensWithAFreshNonce() throws Exception {
    var body =
        StreamingProbe.body(ProbeOptions.defaults("m"), PromptSets.withNonce("Why?", "abc-1-7"));
    assertThat(body.path("prompt").asText()).startsWith("[probe abc-1-7]\nWhy?");
    assertThat(body.path("raw").asBoolean()).isTrue();
    assertThat(body.path("think").asBoolean()).isFalse();
    assertThat(body.path("options").path("temperature").asInt()).isZero();
    assertThat(body.path("options").path("seed").asInt()).isEqualTo(42);
    assertThat(PromptSets.of("long-context").get(0).length()).isGreaterThan(30_000);
  }

  /** The one percentile rule (type 7), as the agent's level summaries use it: interpolated, nulls skipped. */
  @Test
  void percentilesInterpolateBetweenRanks() {
    assertThat(io.macfleet.shared.Quantiles.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 50))
        .isEqualTo(3.0);
    assertThat(io.macfleet.shared.Quantiles.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 95))
        .isCloseTo(4.8, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(io.macfleet.shared.Quantiles.of(
            java.util.Arrays.asList(2.0, null, Double.NaN, 4.0), 50))
        .isEqualTo(3.0);
    assertThat(io.macfleet.shared.Quantiles.of(List.<Double>of(), 50)).isNull();
  }

  /** A profile with one model family in two quantizations, both llama.cpp (parallel) so 4-way is concurrent. */
  OllamaSimulator quantSim(String faults) throws Exception {
    Path p = dir.resolve("quant-" + System.nanoTime() + ".json");
    Files.writeString(
        p,
        "{\"version\":\"0.32.15\",\"models\":["
            + "{\"name\":\"qwen3:8b-q4_K_M\",\"digest\":\"" + "c".repeat(64)
            + "\",\"format\":\"gguf\","
            + "\"quantization_level\":\"Q4_K_M\",\"loaded\":true},"
            + "{\"name\":\"qwen3:8b-q8_0\",\"digest\":\"" + "d".repeat(64)
            + "\",\"format\":\"gguf\","
            + "\"quantization_level\":\"Q8_0\",\"loaded\":true}],"
            + "\"timing\":{\"ttft_ms\":5,\"decode_tokens_per_s\":400,\"num_parallel\":4},\"faults\":{"
            + faults + "}}");
    return OllamaSimulator.start(p, 0);
  }

  @Test
  void aModelThatWillNotLoadIsALoadFailureWithOllamasMessage() throws Exception {
    for (String fault : new String[] {"\"load_error\":true", "\"error_after_tokens\":0"}) {
      try (OllamaSimulator s = sim(
          "\"ttft_ms\":5",
          fault + ",\"error_message\":\"unable to load model: unsupported " + "dtype bf16\"")) {
        ProbeSample x =
            new StreamingProbe(s.url()).run(options(GGUF, 1, List.of(1)), "hi", 1, 0, 0, "steady");
        assertThat(x.error()).as(fault).isEqualTo(ErrorClass.LOAD_FAILED);
        assertThat(x.errorMessage()).contains("unable to load model: unsupported dtype bf16");
        assertThat(x.chunks()).isZero();
      }
    }
  }

  @Test
  void faultsCanStrikeOnlyUnderConcurrencyOrOnlyOneQuantization() throws Exception {
    try (OllamaSimulator s = quantSim("\"error_after_tokens\":2,\"only_when_in_flight_above\":1")) {
      ProbeRun run =
          new ProbeRunner(s.url(), null).run(options("qwen3:8b-q4_K_M", 8, List.of(1, 4)));
      assertThat(run.samples())
          .filteredOn(x -> x.concurrency() == 1 && !x.phase().equals("cold"))
          .allMatch(ProbeSample::ok);
      assertThat(run.samples())
          .filteredOn(x -> x.concurrency() == 4)
          .anyMatch(x -> x.error() == ErrorClass.MIDSTREAM_ERROR && x.chunks() == 2);
    }
    try (OllamaSimulator s =
        quantSim("\"error_after_tokens\":2,\"only_for_quantization\":\"Q8_0\"")) {
      StreamingProbe probe = new StreamingProbe(s.url());
      assertThat(probe
              .run(options("qwen3:8b-q4_K_M", 1, List.of(1)), "hi", 1, 0, 0, "steady")
              .ok())
          .isTrue();
      assertThat(probe
              .run(options("qwen3:8b-q8_0", 1, List.of(1)), "hi", 1, 0, 0, "steady")
              .error())
          .isEqualTo(ErrorClass.MIDSTREAM_ERROR);
    }
  }
}
