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
    String explanation) {

  public enum Kind {
    NO_CHANGE,
    IMPROVEMENT,
    SOFTWARE_REGRESSION,
    ENVIRONMENT,
    DIGEST_DRIFT,
    CONCURRENCY,
    COLD_START,
    INSUFFICIENT_DATA,
    UNATTRIBUTED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

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
