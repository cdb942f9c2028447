package io.macfleet.bench;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.InterchangeReader;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.verdict.Thresholds;
import io.macfleet.controller.verdict.Verdict;
import io.macfleet.controller.verdict.VerdictEngine;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The verdict engine at fleet scale: HOSTS hosts (one in ten a control host, ten chip generations) × DAYS days
 * of hourly runs, 24 steady samples and one cold sample each, with telemetry every run; a few hosts get hot or
 * slower software in their last run. Prints the time to build the dataset and to judge it.
 *   AnalyzeLoad memory HOSTS DAYS     judge a dataset built in memory
 *   AnalyzeLoad file HOSTS DAYS FILE  write it as NDJSON, then read and judge the file (parse throughput)
 */
public final class AnalyzeLoad {
  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    int hosts = Integer.parseInt(args[1]);
    int days = Integer.parseInt(args[2]);
    if (args[0].equals("memory")) {
      long t0 = System.nanoTime();
      Dataset d = new Dataset();
      long samples = generate(hosts, days, new Sink() {
        @Override
        public void record(Records.Record r) {
          d.add(r);
        }

        @Override
        public void sample(
            String run, int level, boolean cold, double ttft, double prefill, double decode) {
          d.addSample(run, level, cold, null, ttft, prefill, decode);
        }
      });
      d.index();
      long built = System.nanoTime();
      report(hosts, days, samples, built - t0, d);
    } else {
      Path file = Path.of(args[3]);
      long samples;
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        samples = generate(hosts, days, new Sink() {
          @Override
          public void record(Records.Record r) {
            write(w, io.macfleet.controller.interchange.RecordWriter.line(r));
          }

          @Override
          public void sample(
              String run, int level, boolean cold, double ttft, double prefill, double decode) {
            write(
                w,
                String.format(
                    java.util.Locale.ROOT,
                    "{\"kind\":\"sample\",\"run\":\"%s\",\"concurrency\":%d,"
                        + "\"cold\":%b,\"ttft_ms\":%.1f,\"prefill_tps\":%s,\"decode_tps\":%s,\"error\":null}",
                    run,
                    level,
                    cold,
                    ttft,
                    num(prefill),
                    num(decode)));
          }
        });
      }
      System.out.printf("file: %d MB%n", Files.size(file) >> 20);
      long t0 = System.nanoTime();
      Dataset d = new Dataset();
      InterchangeReader.Result r;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        r = InterchangeReader.read(in, d::add);
      }
      d.index();
      long read = System.nanoTime() - t0;
      System.out.printf(
          "parsed %,d lines in %.1f s (%,.0f lines/s)%n",
          r.lines(), read / 1e9, r.lines() / (read / 1e9));
      report(hosts, days, samples, read, d);
    }
  }

  private static void report(int hosts, int days, long samples, long buildNs, Dataset d) {
    System.out.printf(
        "machine: %d cores, heap max %d MB%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(
        "dataset: %d hosts × %d days of hourly runs = %,d runs, %,d samples (built in %.1f s)%n",
        hosts, days, d.runs().size(), samples, buildNs / 1e9);
    VerdictEngine engine = new VerdictEngine(Thresholds.defaults());
    engine.judgeLatest(
        d); // warm-up: the JIT, not the engine, would otherwise dominate the first pass
    long t0 = System.nanoTime();
    List<Verdict> v = engine.judgeLatest(d);
    long ns = System.nanoTime() - t0;
    Map<String, Integer> kinds = new TreeMap<>();
    v.forEach(x -> kinds.merge(x.verdict().wire(), 1, Integer::sum));
    System.out.printf("analysis: %d verdicts in %.2f s (target ≤ 10 s)%n", v.size(), ns / 1e9);
    System.out.println("verdicts: " + kinds);
  }

  interface Sink {
    void record(Records.Record r);

    void sample(String run, int level, boolean cold, double ttft, double prefill, double decode);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "null" : String.format(java.util.Locale.ROOT, "%.2f", v);
  }

  private static void write(BufferedWriter w, String line) {
    try {
      w.write(line);
      w.write('\n');
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long generate(int hosts, int days, Sink sink) {
    Random rnd = new Random(7);
    long samples = 0;
    int runs = days * 24;
    for (int h = 0; h < hosts; h++) {
      String name = String.format("mac-%04d", h);
      String gen = "M" + (h % 10);
      boolean control = h < 10; // one control host per generation
      sink.record(new Records.Host(
          name, "Apple " + gen, gen, 48L << 30, control ? "control" : "fleet", Map.of()));
      boolean hot = h % 50 == 17; // its last run under heavy thermal pressure, slower
      for (int i = 0; i < runs; i++) {
        Instant start = T0.plus(Duration.ofHours(i)).plusSeconds(h % 3600);
        boolean last = i == runs - 1;
        String run = name + "-" + i;
        sink.record(new Records.Run(
            run,
            name,
            start,
            start.plusSeconds(240),
            "qwen3.5:35b-a3b-nvfp4",
            "a".repeat(64),
            "0.19.0",
            "24E263",
            "mlx",
            "coding",
            "scheduled",
            false));
        sink.record(new Records.Telemetry(
            name,
            start.minusSeconds(30),
            last && hot ? "heavy" : "nominal",
            "ac",
            null,
            false,
            true,
            64L << 20,
            "normal"));
        double slow = last && hot ? 1.6 : 1.0;
        sink.sample(
            run, 1, true, 900 * Math.exp(0.05 * rnd.nextGaussian()), Double.NaN, Double.NaN);
        for (int s = 0; s < 24; s++) {
          sink.sample(
              run,
              1,
              false,
              200 * slow * Math.exp(0.08 * rnd.nextGaussian()),
              1800 * (1 + 0.04 * rnd.nextGaussian()),
              110 / slow * (1 + 0.03 * rnd.nextGaussian()));
        }
        samples += 25;
      }
    }
    return samples;
  }
}
