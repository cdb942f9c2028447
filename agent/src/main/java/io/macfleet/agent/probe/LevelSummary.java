package io.macfleet.agent.probe;

import io.macfleet.shared.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The steady-state figures of one concurrency level. */
public record LevelSummary(
    int concurrency,
    int samples,
    int errors,
    Map<String, Integer> errorsByClass,
    Double ttftP50Ms,
    Double ttftP95Ms,
    Double ttftP99Ms,
    Double e2eP50Ms,
    Double prefillP50TokensPerSecond,
    Double decodeP50TokensPerSecond,
    Double queueP50Ms) {

  public static LevelSummary of(int concurrency, List<ProbeSample> all) {
    List<ProbeSample> steady = all.stream()
        .filter(s -> s.concurrency() == concurrency && "steady".equals(s.phase()))
        .toList();
    List<ProbeSample> ok = steady.stream().filter(ProbeSample::ok).toList();
    Map<String, Integer> errors = new TreeMap<>();
    steady.stream()
        .filter(s -> !s.ok())
        .forEach(s -> errors.merge(s.error().name().toLowerCase(), 1, Integer::sum));
    List<Double> ttft = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    List<Double> prefill = new ArrayList<>();
    List<Double> decode = new ArrayList<>();
    List<Double> queue = new ArrayList<>();
    for (ProbeSample s : ok) {
      ttft.add(s.ttftMs());
      e2e.add(s.e2eMs());
      prefill.add(s.prefillTokensPerSecond());
      decode.add(s.decodeTokensPerSecond());
      queue.add(s.queueMs());
    }
    return new LevelSummary(
        concurrency,
        steady.size(),
        steady.size() - ok.size(),
        errors,
        Quantiles.of(ttft, 50),
        Quantiles.of(ttft, 95),
        Quantiles.of(ttft, 99),
        Quantiles.of(e2e, 50),
        Quantiles.of(prefill, 50),
        Quantiles.of(decode, 50),
        Quantiles.of(queue, 50));
  }
}
