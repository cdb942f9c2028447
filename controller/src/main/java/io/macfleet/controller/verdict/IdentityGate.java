package io.macfleet.controller.verdict;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.Records;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runbook's Gate A: a tag is not an identity. Every candidate host must run the model's tag with a blob digest
 * the baseline runs with, and hosts holding the tag must declare the same dtype for it (/api/show): the same name
 * on two Macs with different blobs, or the same blob read as another dtype, is not the same model.
 */
final class IdentityGate {
  private IdentityGate() {}

  static List<Gate.Rule> rules(
      Dataset d, String model, List<Records.Run> base, List<Records.Run> cand) {
    List<Gate.Rule> rules = new ArrayList<>();
    TreeSet<String> baseDigests = new TreeSet<>();
    base.stream().map(Records.Run::digest).filter(Objects::nonNull).forEach(baseDigests::add);
    if (cand.isEmpty() || baseDigests.isEmpty()) {
      rules.add(new Gate.Rule(
          "identity_digest",
          0,
          "no digest on " + (cand.isEmpty() ? "a candidate" : "the baseline") + " runs",
          "same digest as the baseline",
          Gate.Result.NOT_MEASURED));
    } else {
      List<String> drifted = new ArrayList<>();
      for (Records.Run r : cand) {
        if (r.digest() != null && !baseDigests.contains(r.digest())) {
          drifted.add(r.host() + " " + shortDigest(r.digest()));
        }
      }
      rules.add(new Gate.Rule(
          "identity_digest",
          0,
          drifted.isEmpty()
              ? "candidates run " + shortDigests(baseDigests)
              : String.join(", ", drifted) + " vs baseline " + shortDigests(baseDigests),
          "same digest as the baseline",
          drifted.isEmpty() ? Gate.Result.PASS : Gate.Result.FAIL,
          drifted.isEmpty() ? null : NextStep.CACHE_SURGERY));
    }
    // the dtype each host's Ollama declares for the tag, from its newest state
    Map<String, String> declared = new TreeMap<>();
    TreeSet<String> hosts = new TreeSet<>();
    base.forEach(r -> hosts.add(r.host()));
    cand.forEach(r -> hosts.add(r.host()));
    for (String host : hosts) {
      List<Records.State> states = d.states(host);
      for (int i = states.size() - 1; i >= 0; i--) {
        String dtype = states.get(i).models().stream()
            .filter(m -> m.name().equals(model) && m.declaredDtype() != null)
            .map(Records.ModelRef::declaredDtype)
            .findFirst()
            .orElse(null);
        if (dtype != null) {
          declared.put(host, dtype);
          break;
        }
      }
    }
    TreeSet<String> dtypes = new TreeSet<>(declared.values());
    rules.add(
        declared.isEmpty()
            ? new Gate.Rule(
                "identity_dtype",
                0,
                "no host's declared dtype is known",
                "one declared dtype",
                Gate.Result.NOT_MEASURED)
            : new Gate.Rule(
                "identity_dtype",
                0,
                dtypes.size() == 1 ? "all declare " + dtypes.first() : declared.toString(),
                "one declared dtype",
                dtypes.size() == 1 ? Gate.Result.PASS : Gate.Result.FAIL,
                dtypes.size() == 1 ? null : NextStep.CACHE_SURGERY));
    return rules;
  }

  private static String shortDigest(String d) {
    return d.length() > 12 ? d.substring(0, 12) : d;
  }

  private static String shortDigests(TreeSet<String> ds) {
    return String.join("/", ds.stream().map(IdentityGate::shortDigest).toList());
  }
}
