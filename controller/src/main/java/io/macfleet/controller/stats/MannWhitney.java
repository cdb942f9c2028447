package io.macfleet.controller.stats;

/**
 * Two-sided Mann–Whitney U test with the normal approximation, tie correction and continuity correction
 * (sound from about 20 samples a side, and the verdicts never judge fewer than 24). Inputs must be sorted.
 */
public final class MannWhitney {
  private MannWhitney() {}

  public static double pValue(double[] a, double[] b) {
    int n1 = a.length;
    int n2 = b.length;
    if (n1 == 0 || n2 == 0) {
      return 1.0;
    }
    double rankSumA = 0;
    double tieTerm = 0;
    int i = 0;
    int j = 0;
    int rank = 0; // ranks handed out so far
    while (i < n1 || j < n2) {
      double v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
      int fromA = 0;
      int fromB = 0;
      while (i < n1 && a[i] == v) {
        i++;
        fromA++;
      }
      while (j < n2 && b[j] == v) {
        j++;
        fromB++;
      }
      int t = fromA + fromB;
      double avgRank =
          rank + (t + 1) / 2.0; // the tied values share the mean of ranks rank+1 .. rank+t
      rankSumA += fromA * avgRank;
      tieTerm += (double) t * t * t - t;
      rank += t;
    }
    double u = rankSumA - n1 * (n1 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2.0;
    int n = n1 + n2;
    double var = n1 * (double) n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    if (var <= 0) {
      return 1.0; // every value equal: no evidence of a difference
    }
    double z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(var);
    return Math.min(1.0, Normal.twoSidedP(z));
  }
}
