package io.macfleet.controller.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.macfleet.shared.Quantiles;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tests behind every verdict, against values worked by hand and against their own invariants. */
class StatisticsTest {
  private static double[] sorted(double... v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }

  @Test
  void mannWhitneyMatchesAHandWorkedExample() {
    // U = 0; mean 12.5; variance 5·5·11/12 = 22.917; z = (12.5 − 0.5)/4.787 = 2.507; two-sided p =
    // 0.0122
    double p = MannWhitney.pValue(sorted(1, 2, 3, 4, 5), sorted(6, 7, 8, 9, 10));
    assertThat(p).isCloseTo(0.0122, within(0.0005));
    assertThat(MannWhitney.pValue(sorted(6, 7, 8, 9, 10), sorted(1, 2, 3, 4, 5)))
        .isCloseTo(p, within(1e-12));
  }

  @Test
  void fisherExactMatchesHandWorkedHypergeometricTails() {
    // 3 failures, all in the candidate's 24 of 72 requests: C(24,3)/C(72,3) = 2024/59640
    assertThat(FisherExact.moreFailures(3, 24, 0, 48)).isCloseTo(2024.0 / 59640, within(1e-9));
    // one failure among 48 requests lands in the candidate's half by chance: no evidence
    assertThat(FisherExact.moreFailures(1, 24, 0, 24)).isCloseTo(0.5, within(1e-9));
    // Fisher's tea-tasting table, one-sided: 17/70
    assertThat(FisherExact.moreFailures(3, 4, 1, 4)).isCloseTo(17.0 / 70, within(1e-9));
    // fewer failures than the baseline is never evidence of more
    assertThat(FisherExact.moreFailures(0, 24, 5, 24)).isEqualTo(1.0);
    assertThat(FisherExact.moreFailures(0, 0, 0, 24)).isEqualTo(1.0);
  }

  @Test
  void tiesAndIdenticalSamplesGiveNoEvidence() {
    assertThat(MannWhitney.pValue(sorted(5, 5, 5, 5), sorted(5, 5, 5))).isEqualTo(1.0);
    assertThat(KolmogorovSmirnov.pValue(sorted(5, 5, 5, 5), sorted(5, 5, 5))).isEqualTo(1.0);
    double[] a = sorted(1, 2, 2, 3, 3, 3, 4, 4, 5);
    assertThat(MannWhitney.pValue(a, a)).isGreaterThan(0.9);
  }

  @Test
  void kolmogorovSmirnovStatisticIsTheLargestGap() {
    assertThat(KolmogorovSmirnov.statistic(sorted(1, 2, 3), sorted(4, 5, 6))).isEqualTo(1.0);
    assertThat(KolmogorovSmirnov.statistic(sorted(1, 2, 3, 4), sorted(3, 4, 5, 6)))
        .isCloseTo(0.5, within(1e-12));
    // Q_KS at λ = 1.36 is the textbook 5 % point
    assertThat(KolmogorovSmirnov.q(1.36)).isCloseTo(0.05, within(0.002));
  }

  @Test
  void aRealShiftIsSignificantAndNoiseIsNot() {
    Random r = new Random(42);
    int falseAlarms = 0;
    for (int trial = 0; trial < 200; trial++) {
      double[] a = new double[48];
      double[] b = new double[24];
      double[] shifted = new double[24];
      for (int i = 0; i < a.length; i++) {
        a[i] = 200 * Math.exp(0.08 * r.nextGaussian());
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = 200 * Math.exp(0.08 * r.nextGaussian());
        shifted[i] = 240 * Math.exp(0.08 * r.nextGaussian());
      }
      Arrays.sort(a);
      Arrays.sort(b);
      Arrays.sort(shifted);
      if (Math.min(MannWhitney.pValue(a, b), KolmogorovSmirnov.pValue(a, b)) < 0.01) {
        falseAlarms++;
      }
      assertThat(MannWhitney.pValue(a, shifted)).isLessThan(0.001);
    }
    // the smaller of two p-values roughly doubles the nominal 1 %; far below that is fine, far
    // above is a bug
    assertThat(falseAlarms).isLessThanOrEqualTo(8);
  }

  @Test
  void percentilesInterpolateBetweenRanks() {
    double[] v = sorted(10, 20, 30, 40, 50);
    assertThat(Quantiles.of(v, 50)).isEqualTo(30.0);
    assertThat(Quantiles.of(v, 95)).isCloseTo(48.0, within(1e-9));
    assertThat(Quantiles.of(new double[0], 50)).isNaN();
  }
}
