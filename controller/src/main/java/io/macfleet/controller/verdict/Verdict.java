package io.macfleet.controller.verdict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One judged candidate run at one concurrency level: the interchange format's verdict record. */
public record Verdict(
    String host,
    String run,
    String model,
    int concurrency,
    Kind verdict,
    List<String> factors,
    Map<String, MetricChange> metrics,
    Control control,
    String explanation,
    Failure failure) {

  /** A verdict about speed (or the lack of data): no failure details. */
  public Verdict(
      String host,
      String run,
      String model,
      int concurrency,
      Kind verdict,
      List<String> factors,
      Map<String, MetricChange> metrics,
      Control control,
      String explanation) {
    this(host, run, model, concurrency, verdict, factors, metrics, control, explanation, null);
  }

  /** The same verdict with more said at the end of its explanation. */
  public Verdict withNote(String note) {
    return new Verdict(
        host,
        run,
        model,
        concurrency,
        verdict,
        factors,
        metrics,
        control,
        explanation + "; " + note,
        failure);
  }

  public enum Kind {
    NO_CHANGE,
    IMPROVEMENT,
    SOFTWARE_REGRESSION,
    ENVIRONMENT,
    DIGEST_DRIFT,
    CONCURRENCY,
    COLD_START,
    /** The level failed more often than its baseline (Fisher's exact test): see {@link Failure}. */
    FAILURE,
    INSUFFICIENT_DATA,
    UNATTRIBUTED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** How the requests failed: the dominant class among the level's failures. */
  public enum Symptom {
    /** The model would not serve before its first token (load_failed, model_missing). */
    LOAD_FAILURE,
    /** It failed after tokens had started (midstream_error, no_done, timeout, protocol). */
    MIDSTREAM_CRASH,
    /** No first token within the first-token timeout. */
    HUNG,
    /** Nothing answered (refused, queue_full). */
    REFUSED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The symptom a sample's error class shows. */
    public static Symptom of(String errorClass) {
      return switch (errorClass) {
        case "load_failed", "model_missing" -> LOAD_FAILURE;
        case "hung" -> HUNG;
        case "refused", "queue_full" -> REFUSED;
        default -> MIDSTREAM_CRASH;
      };
    }
  }

  /** How far a failure reaches, by the runbook's symptom matrix. */
  public enum Scope {
    /** Fails at N-way, clean at 1-way in the same run. */
    CONCURRENCY_ONLY,
    /** Another quantization of the same model, probed on the same host in the same window, is clean. */
    QUANT_SPECIFIC,
    /** The control replay on a same-generation host with the same digest ran clean: the runbook's solo reproduction. */
    HOST_LOCAL,
    /** The control reproduced it with the same digest. */
    FLEET,
    /** No usable control; the explanation says why. */
    UNKNOWN;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A failure verdict's details: its symptom, its scope, and the failed and made requests behind it. */
  public record Failure(Symptom symptom, Scope scope, int failed, int requests) {}

  /** The control replay that was consulted, and whether it showed the same slowdown. */
  public record Control(String host, String run, boolean reproduced) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode()
        .put("kind", "verdict")
        .put("host", host)
        .put("run", run)
        .put("model", model)
        .put("concurrency", concurrency)
        .put("verdict", verdict.wire());
    factors.forEach(n.putArray("factors")::add);
    ObjectNode m = n.putObject("metrics");
    for (MetricChange c : metrics.values()) {
      ObjectNode x = m.putObject(c.name())
          .put("baseline", round(c.baseline()))
          .put("candidate", round(c.candidate()))
          .put("change_pct", round(c.changePct()));
      if (c.pValue() == null) {
        x.putNull("p_value");
      } else {
        x.put("p_value", Double.parseDouble(String.format(Locale.ROOT, "%.3g", c.pValue())));
      }
    }
    if (control == null) {
      n.putNull("control");
    } else {
      n.putObject("control")
          .put("host", control.host())
          .put("run", control.run())
          .put("reproduced", control.reproduced());
    }
    n.put("explanation", explanation);
    if (failure == null) {
      n.putNull("symptom");
      n.putNull("scope");
    } else {
      n.put("symptom", failure.symptom().wire());
      n.put("scope", failure.scope().wire());
    }
    NextStep next = NextStep.of(this);
    n.put("next_step", next.wire());
    String command = next.command(host, model);
    if (command.isEmpty()) {
      n.putNull("next_command");
    } else {
      n.put("next_command", command);
    }
    return n;
  }

  private static double round(double v) {
    return Math.round(v * 10.0) / 10.0;
  }
}
