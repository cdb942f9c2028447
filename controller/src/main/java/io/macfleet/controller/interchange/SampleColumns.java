package io.macfleet.controller.interchange;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The samples of one run, column by column in primitive arrays: a month of hourly runs on a thousand hosts is
 * seventeen million samples, which as objects would not fit in a sensible heap. Missing numbers are NaN.
 */
public final class SampleColumns {
  public enum Metric {
    TTFT_MS,
    PREFILL_TPS,
    DECODE_TPS
  }

  private int n;
  private int[] concurrency = new int[32];
  private boolean[] cold = new boolean[32];
  private boolean[] failed = new boolean[32];
  private float[] ttft = new float[32];
  private float[] prefill = new float[32];
  private float[] decode = new float[32];

  public void add(
      int level,
      boolean isCold,
      boolean isFailed,
      Double ttftMs,
      Double prefillTps,
      Double decodeTps) {
    if (n == concurrency.length) {
      int cap = n * 2;
      concurrency = Arrays.copyOf(concurrency, cap);
      cold = Arrays.copyOf(cold, cap);
      failed = Arrays.copyOf(failed, cap);
      ttft = Arrays.copyOf(ttft, cap);
      prefill = Arrays.copyOf(prefill, cap);
      decode = Arrays.copyOf(decode, cap);
    }
    concurrency[n] = level;
    cold[n] = isCold;
    failed[n] = isFailed;
    ttft[n] = ttftMs == null ? Float.NaN : ttftMs.floatValue();
    prefill[n] = prefillTps == null ? Float.NaN : prefillTps.floatValue();
    decode[n] = decodeTps == null ? Float.NaN : decodeTps.floatValue();
    n++;
  }

  public int size() {
    return n;
  }

  public TreeSet<Integer> levels() {
    TreeSet<Integer> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(concurrency[i]);
    }
    return out;
  }

  /** Successful samples at a level, warm (steady state) or cold, that measured the metric. */
  public int count(int level, boolean wantCold) {
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level && cold[i] == wantCold && !failed[i] && !Float.isNaN(ttft[i])) {
        c++;
      }
    }
    return c;
  }

  public int failures(int level) {
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level && failed[i]) {
        c++;
      }
    }
    return c;
  }

  /** Appends the metric's values at a level to out from index at; returns the new end. */
  public int copy(Metric m, int level, boolean wantCold, double[] out, int at) {
    float[] col = switch (m) {
      case TTFT_MS -> ttft;
      case PREFILL_TPS -> prefill;
      case DECODE_TPS -> decode;
    };
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level && cold[i] == wantCold && !failed[i] && !Float.isNaN(col[i])) {
        out[at++] = col[i];
      }
    }
    return at;
  }

  public double[] values(Metric m, int level, boolean wantCold) {
    double[] out = new double[n];
    return Arrays.copyOf(out, copy(m, level, wantCold, out, 0));
  }
}
