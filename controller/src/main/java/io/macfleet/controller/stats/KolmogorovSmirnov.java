package io.macfleet.controller.stats;

/**
 * Two-sample Kolmogorov–Smirnov test: the largest gap between the two empirical distributions, with the
 * asymptotic p-value (Stephens' small-sample correction). It sees changes in shape — a fatter tail — that
 * a rank test on the middle can miss. Inputs must be sorted.
 */
public final class KolmogorovSmirnov {
  private KolmogorovSmirnov() {}

  public static double statistic(double[] a, double[] b) {
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < a.length && j < b.length) {
      double v = Math.min(a[i], b[j]);
      while (i < a.length && a[i] == v) {
        i++;
      }
      while (j < b.length && b[j] == v) {
        j++;
      }
      d = Math.max(d, Math.abs(i / (double) a.length - j / (double) b.length));
    }
    return d;
  }

  public static double pValue(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0) {
      return 1.0;
    }
    double en = Math.sqrt(a.length * (double) b.length / (a.length + b.length));
    return q((en + 0.12 + 0.11 / en) * statistic(a, b));
  }

  /** Q_KS(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²). */
  static double q(double lambda) {
    if (lambda < 0.2) {
      return 1.0;
    }
    double sum = 0;
    double prev = 0;
    for (int k = 1; k <= 100; k++) {
      double term = (k % 2 == 1 ? 2 : -2) * Math.exp(-2.0 * k * k * lambda * lambda);
      sum += term;
      if (Math.abs(term) <= 1e-10 * Math.abs(sum) || Math.abs(term) <= 1e-16 * prev) {
        return Math.max(0, Math.min(1, sum));
      }
      prev = Math.abs(term);
    }
    return 1.0; // did not converge: only happens near λ = 0, where the answer is 1
  }
}
