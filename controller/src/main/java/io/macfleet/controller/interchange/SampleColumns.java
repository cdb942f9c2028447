package io.macfleet.controller.interchange;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The failure classes a sample may carry (docs/interchange.md); a class this list does not know is kept as
   * "other". Stored as its index + 1 in one byte a sample, 0 for a request that succeeded.
   */
  public static final List<String> ERRORS = List.of(
      "model_missing",
      "queue_full",
      "load_failed",
      "midstream_error",
      "no_done",
      "hung",
      "timeout",
      "refused",
      "protocol",
      "other");

  private int n;
  private int[] concurrency = new int[32];
  private boolean[] cold = new boolean[32];
  private byte[] error = new byte[32];
  private float[] ttft = new float[32];
  private float[] prefill = new float[32];
  private float[] decode = new float[32];

  public void add(
      int level,
      boolean isCold,
      String errorClass,
      Double ttftMs,
      Double prefillTps,
      Double decodeTps) {
    if (n == concurrency.length) {
      int cap = n * 2;
      concurrency = Arrays.copyOf(concurrency, cap);
      cold = Arrays.copyOf(cold, cap);
      error = Arrays.copyOf(error, cap);
      ttft = Arrays.copyOf(ttft, cap);
      prefill = Arrays.copyOf(prefill, cap);
      decode = Arrays.copyOf(decode, cap);
    }
    concurrency[n] = level;
    cold[n] = isCold;
    error[n] = code(errorClass);
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
      if (concurrency[i] == level
          && cold[i] == wantCold
          && error[i] == 0
          && !Float.isNaN(ttft[i])) {
        c++;
      }
    }
    return c;
  }

  public int failures(int level) {
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level && error[i] != 0) {
        c++;
      }
    }
    return c;
  }

  /** Every request at a level, cold or warm, failed or not: the denominator of its error rate. */
  public int requests(int level) {
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level) {
        c++;
      }
    }
    return c;
  }

  /** How the level's failed requests failed: class → count, in {@link #ERRORS} order. */
  public Map<String, Integer> failureClasses(int level) {
    int[] counts = new int[ERRORS.size() + 1];
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level) {
        counts[error[i]]++;
      }
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int k = 1; k < counts.length; k++) {
      if (counts[k] > 0) {
        out.put(ERRORS.get(k - 1), counts[k]);
      }
    }
    return out;
  }

  private static byte code(String errorClass) {
    if (errorClass == null) {
      return 0;
    }
    int i = ERRORS.indexOf(errorClass);
    return (byte) ((i < 0 ? ERRORS.size() - 1 : i) + 1);
  }

  /** Appends the metric's values at a level to out from index at; returns the new end. */
  public int copy(Metric m, int level, boolean wantCold, double[] out, int at) {
    float[] col = switch (m) {
      case TTFT_MS -> ttft;
      case PREFILL_TPS -> prefill;
      case DECODE_TPS -> decode;
    };
    for (int i = 0; i < n; i++) {
      if (concurrency[i] == level && cold[i] == wantCold && error[i] == 0 && !Float.isNaN(col[i])) {
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
