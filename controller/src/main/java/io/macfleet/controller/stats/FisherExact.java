package io.macfleet.controller.stats;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.FisherExactTest;

/**
 * Whether a candidate fails more often than its baseline: Fisher's exact test on the 2×2 table of failed and
 * good requests, one-sided. Exact at any sample size, so a failure verdict never rests on a fixed count: 3
 * failures in 24 after 0 in 48 is p ≈ 0.034, while 1 in 24 after 0 in 24 is not evidence (p = 0.5).
 */
public final class FisherExact {
  private static final FisherExactTest GREATER =
      FisherExactTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN);

  private FisherExact() {}

  /** The one-sided p-value that the candidate's failure rate exceeds the baseline's. */
  public static double moreFailures(
      int candidateFailed, int candidateTotal, int baselineFailed, int baselineTotal) {
    if (candidateFailed < 0
        || baselineFailed < 0
        || candidateFailed > candidateTotal
        || baselineFailed > baselineTotal) {
      throw new IllegalArgumentException("failures must be between 0 and the requests made");
    }
    if (candidateTotal == 0 || baselineTotal == 0) {
      return 1.0;
    }
    // rows: candidate, baseline; columns: failed, good. GREATER_THAN: the odds ratio exceeds 1.
    int[][] table = {
      {candidateFailed, candidateTotal - candidateFailed},
      {baselineFailed, baselineTotal - baselineFailed}
    };
    return GREATER.test(table).getPValue();
  }
}
