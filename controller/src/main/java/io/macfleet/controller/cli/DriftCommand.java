package io.macfleet.controller.cli;

import io.macfleet.proto.v1.DigestDrift;
import io.macfleet.proto.v1.DriftReport;
import io.macfleet.proto.v1.GetDriftRequest;
import io.macfleet.proto.v1.ValueGroup;
import io.macfleet.proto.v1.ValueSpread;
import io.macfleet.shared.ProtoJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = "Same model tag with different digests across hosts; Ollama version and "
        + "macOS build spread among hosts of one chip generation.")
final class DriftCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  JsonOption output;

  @Option(
      names = "--exit-code",
      description = "Exit 1 when any drift was found, 0 when none (as git diff "
          + "--exit-code does), for scripts and CI.")
  boolean exitCode;

  @Override
  public Integer call() {
    DriftReport r;
    try (AdminClient client = new AdminClient(connection)) {
      r = client.call(s -> s.getDrift(GetDriftRequest.getDefaultInstance()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(r));
    } else {
      print(r, out);
    }
    boolean drift = r.getDigestsCount() > 0
        || r.getDtypesCount() > 0
        || r.getOllamaVersionsCount() > 0
        || r.getOsBuildsCount() > 0;
    return exitCode && drift ? ExitCodes.DIFFERENCES : ExitCodes.OK;
  }

  static void print(DriftReport r, PrintWriter out) {
    out.println("Model digest drift (same tag, different blobs):");
    if (r.getDigestsCount() == 0) {
      out.println("  none");
    }
    for (DigestDrift d : r.getDigestsList()) {
      out.println("  " + Table.escape(d.getModel()));
      groups(out, d.getGroupsList());
    }
    out.println();
    out.println("Declared dtype drift (same tag, read as a different dtype; Gate A):");
    if (r.getDtypesCount() == 0) {
      out.println("  none");
    }
    for (DigestDrift d : r.getDtypesList()) {
      out.println("  " + Table.escape(d.getModel()));
      groups(out, d.getGroupsList());
    }
    if (r.getAliasesCount() > 0) {
      out.println();
      out.println("Tags that are one model (one digest, several names):");
      for (var a : r.getAliasesList()) {
        out.println("  " + a.getDigest().substring(0, Math.min(12, a.getDigest().length())) + "  "
            + Table.escape(String.join(" = ", a.getTagsList())) + "  ("
            + Table.escape(String.join(", ", a.getHostsList())) + ")");
      }
    }
    spread(out, "Ollama version spread within a chip generation:", r.getOllamaVersionsList());
    spread(out, "macOS build spread within a chip generation:", r.getOsBuildsList());
  }

  private static void groups(PrintWriter out, List<ValueGroup> groups) {
    int w = groups.stream()
        .mapToInt(g -> Table.escape(Formats.orDash(g.getValue())).length())
        .max()
        .orElse(0);
    for (ValueGroup g : groups) {
      String v = Table.escape(Formats.orDash(g.getValue()));
      out.println("    " + v + " ".repeat(w - v.length()) + "  "
          + Table.escape(String.join(", ", g.getHostsList())));
    }
  }

  private static void spread(PrintWriter out, String title, List<ValueSpread> spreads) {
    out.println();
    out.println(title);
    if (spreads.isEmpty()) {
      out.println("  none");
    }
    for (ValueSpread s : spreads) {
      out.println("  " + Table.escape(s.getChipGeneration()));
      groups(out, s.getGroupsList());
    }
  }
}
