package io.macfleet.controller.interchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's Gate C observations over a window, folded: each caller once with the most connections it held at once,
 * requests and 5xx summed, the most requests at once (null when no server.log was read), truncations summed with
 * the largest limit and prompt, and the busiest paths.
 */
public record ClientsWindow(
    Instant lastObserved,
    int observations,
    List<Records.Caller> callers,
    int requests,
    int serverErrors,
    Integer maxInFlight,
    int truncatedPrompts,
    int truncatedMessages,
    Integer contextLimit,
    Integer largestPromptTokens,
    List<Records.PathCount> paths) {
  public static final int MAX_PATHS = 10;

  public static ClientsWindow of(List<Records.Clients> observations) {
    Map<String, Records.Caller> callers = new LinkedHashMap<>();
    Map<String, int[]> paths = new LinkedHashMap<>();
    Instant last = null;
    int requests = 0;
    int errors = 0;
    Integer inFlight = null;
    int prompts = 0;
    int messages = 0;
    Integer context = null;
    Integer largest = null;
    for (Records.Clients c : observations) {
      last = last == null || c.at().isAfter(last) ? c.at() : last;
      requests += c.requests();
      errors += c.serverErrors();
      inFlight = max(inFlight, c.maxInFlight());
      prompts += c.truncatedPrompts();
      messages += c.truncatedMessages();
      context = max(context, c.contextLimit());
      largest = max(largest, c.largestPromptTokens());
      for (Records.Caller k : c.callers()) {
        callers.merge(
            k.name() + "|" + k.pid() + "|" + k.peer(),
            k,
            (a, b) -> b.connections() > a.connections() ? b : a);
      }
      for (Records.PathCount p : c.paths()) {
        int[] n = paths.computeIfAbsent(p.method() + " " + p.path(), x -> new int[2]);
        n[0] += p.requests();
        n[1] += p.serverErrors();
      }
    }
    List<Records.Caller> cs = new ArrayList<>(callers.values());
    cs.sort(Comparator.comparingInt(Records.Caller::connections)
        .reversed()
        .thenComparing(Records.Caller::name));
    List<Records.PathCount> ps = new ArrayList<>();
    paths.forEach((k, n) -> {
      int sp = k.indexOf(' ');
      ps.add(new Records.PathCount(k.substring(0, sp), k.substring(sp + 1), n[0], n[1]));
    });
    ps.sort(Comparator.comparingInt(Records.PathCount::requests).reversed());
    return new ClientsWindow(
        last,
        observations.size(),
        cs,
        requests,
        errors,
        inFlight,
        prompts,
        messages,
        context,
        largest,
        List.copyOf(ps.subList(0, Math.min(MAX_PATHS, ps.size()))));
  }

  private static Integer max(Integer a, Integer b) {
    if (a == null || b == null) {
      return a == null ? b : a; // not a ternary over int: that would unbox a null
    }
    return Math.max(a, b);
  }
}
