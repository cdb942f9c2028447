package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.ModelRow;
import io.macfleet.proto.v1.DigestDrift;
import io.macfleet.proto.v1.DriftReport;
import io.macfleet.proto.v1.TagAlias;
import io.macfleet.proto.v1.ValueGroup;
import io.macfleet.proto.v1.ValueSpread;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Finds drift: a model tag whose digest differs across hosts ("same name, different blobs"), a tag whose
 * declared dtype differs across hosts (the same blob read differently by another Ollama build: the runbook's
 * Gate A, a tag alone is not an identity), and Ollama-version or macOS-build spread among hosts of one chip
 * generation. Tags that name one digest are listed as one identity (aliases). Revoked hosts are left out.
 */
public final class DriftAnalyzer {
  private DriftAnalyzer() {}

  public static DriftReport analyze(List<HostRow> hosts) {
    List<HostRow> live =
        hosts.stream().filter(h -> !h.revoked() && h.lastSeen() != null).toList();
    DriftReport.Builder out = DriftReport.newBuilder();

    Map<String, Map<String, List<String>>> byModel = new TreeMap<>();
    for (HostRow h : live) {
      for (ModelRow m : h.models()) {
        byModel
            .computeIfAbsent(m.name(), k -> new TreeMap<>())
            .computeIfAbsent(m.digest(), k -> new ArrayList<>())
            .add(h.name());
      }
    }
    byModel.forEach((model, digests) -> {
      if (digests.size() > 1) {
        out.addDigests(DigestDrift.newBuilder().setModel(model).addAllGroups(groups(digests)));
      }
    });
    Map<String, Map<String, List<String>>> byDtype = new TreeMap<>();
    Map<String, Map<String, java.util.Set<String>>> tagsByDigest = new TreeMap<>();
    for (HostRow h : live) {
      for (ModelRow m : h.models()) {
        if (m.declaredDtype() != null && !m.declaredDtype().isEmpty()) {
          byDtype
              .computeIfAbsent(m.name(), k -> new TreeMap<>())
              .computeIfAbsent(m.declaredDtype(), k -> new ArrayList<>())
              .add(h.name());
        }
        if (!m.digest().isEmpty()) {
          tagsByDigest
              .computeIfAbsent(m.digest(), k -> new TreeMap<>())
              .computeIfAbsent(m.name(), k -> new java.util.TreeSet<>())
              .add(h.name());
        }
      }
    }
    byDtype.forEach((model, dtypes) -> {
      if (dtypes.size() > 1) {
        out.addDtypes(DigestDrift.newBuilder().setModel(model).addAllGroups(groups(dtypes)));
      }
    });
    tagsByDigest.forEach((digest, tags) -> {
      if (tags.size() > 1) {
        java.util.Set<String> hostsWithIt = new java.util.TreeSet<>();
        tags.values().forEach(hostsWithIt::addAll);
        out.addAliases(TagAlias.newBuilder()
            .setDigest(digest)
            .addAllTags(tags.keySet())
            .addAllHosts(hostsWithIt));
      }
    });
    out.addAllOllamaVersions(spread(live, HostRow::ollamaVersion));
    out.addAllOsBuilds(spread(
        live,
        h -> h.osBuild().isEmpty() ? h.osVersion() : h.osVersion() + " (" + h.osBuild() + ")"));
    return out.build();
  }

  private static List<ValueSpread> spread(List<HostRow> hosts, Function<HostRow, String> value) {
    Map<String, Map<String, List<String>>> byGen = new TreeMap<>();
    for (HostRow h : hosts) {
      String v = value.apply(h);
      if (v == null || v.isBlank()) {
        continue;
      }
      String gen = h.chipGeneration().isEmpty() ? chipOrUnknown(h) : h.chipGeneration();
      byGen
          .computeIfAbsent(gen, k -> new TreeMap<>())
          .computeIfAbsent(v, k -> new ArrayList<>())
          .add(h.name());
    }
    List<ValueSpread> out = new ArrayList<>();
    byGen.forEach((gen, values) -> {
      if (values.size() > 1) {
        out.add(ValueSpread.newBuilder()
            .setChipGeneration(gen)
            .addAllGroups(groups(values))
            .build());
      }
    });
    return out;
  }

  /** Non-Apple hosts are grouped by their CPU brand, so a Linux box is compared with its twins only. */
  private static String chipOrUnknown(HostRow h) {
    return h.chip().isBlank() ? "unknown" : h.chip();
  }

  private static List<ValueGroup> groups(Map<String, List<String>> byValue) {
    List<ValueGroup> out = new ArrayList<>();
    byValue.entrySet().stream()
        .sorted((a, b) -> b.getValue().size() != a.getValue().size()
            ? b.getValue().size() - a.getValue().size()
            : a.getKey().compareTo(b.getKey()))
        .forEach(e -> out.add(ValueGroup.newBuilder()
            .setValue(e.getKey())
            .addAllHosts(e.getValue())
            .build()));
    return out;
  }
}
