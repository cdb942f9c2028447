package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.ClientsWindow;
import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import io.macfleet.controller.interchange.SampleColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The runbook's Gate C: who calls each candidate Mac's Ollama. It fails when the callers asked for more at once than
 * the probes measured (or more than one at once of a model served by MLX, which takes requests one at a time), or
 * when Ollama truncated prompts (context amplification from tool loops): the probes' figures do not describe what
 * those callers get. The way out is tiers: interactive tenants and batch traffic on separate hosts.
 */
final class ClientsGate {
  private ClientsGate() {}

  static List<Gate.Rule> rules(Dataset d, List<Records.Run> cand) {
    List<Gate.Rule> rules = new ArrayList<>();
    TreeSet<String> hosts = new TreeSet<>();
    cand.forEach(r -> hosts.add(r.host()));
    for (String host : hosts) {
      List<Records.Clients> seen = d.clients(host);
      ClientsWindow w = ClientsWindow.of(seen);
      Integer mostAtOnce = w.maxInFlight();
      int truncations = w.truncatedPrompts() + w.truncatedMessages();
      Integer context = w.contextLimit();
      Integer largestPrompt = w.largestPromptTokens();
      int measured = 0;
      boolean mlx = false;
      for (Records.Run r : d.runs().values()) {
        if (r.host().equals(host)) {
          SampleColumns s = d.samples(r.run());
          for (int level : s.levels()) {
            measured = Math.max(measured, level);
          }
        }
      }
      for (Records.Run r : cand) {
        mlx |= r.host().equals(host) && "mlx".equals(r.backend());
      }
      int allowed = mlx ? 1 : measured;
      String limit = mlx
          ? "<= 1 at once (MLX serves one at a time)"
          : "<= " + measured + " at once (the most the probes measured)";
      if (mostAtOnce == null) {
        rules.add(new Gate.Rule(
            "clients_concurrency",
            0,
            host + ": not measured (no server.log read; run the agent with --ollama-log)",
            limit,
            Gate.Result.NOT_MEASURED));
      } else {
        boolean over = mostAtOnce > allowed;
        rules.add(new Gate.Rule(
            "clients_concurrency",
            0,
            host + ": " + mostAtOnce + " at once",
            limit,
            over ? Gate.Result.FAIL : Gate.Result.PASS,
            over ? NextStep.SPLIT_TIERS : null));
      }
      if (!seen.isEmpty()) {
        rules.add(new Gate.Rule(
            "clients_truncation",
            0,
            truncations == 0
                ? host + ": no prompt truncated"
                : String.format(
                    Locale.ROOT,
                    "%s: %d prompt(s) truncated%s",
                    host,
                    truncations,
                    largestPrompt == null
                        ? ""
                        : " (up to " + largestPrompt + " tokens into "
                            + (context == null ? "?" : context) + ")"),
            "no truncated prompt",
            truncations == 0 ? Gate.Result.PASS : Gate.Result.FAIL,
            truncations == 0 ? null : NextStep.SPLIT_TIERS));
      }
    }
    return rules;
  }
}
