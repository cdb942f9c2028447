package io.macfleet.controller.cli;

import io.macfleet.proto.v1.GetHostRequest;
import io.macfleet.proto.v1.HostDetail;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.RefreshHostRequest;
import io.macfleet.proto.v1.RefreshHostResponse;
import io.macfleet.shared.ProtoJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "host",
    mixinStandardHelpOptions = true,
    description = "Everything known about one host, every model with its full digest.")
final class HostCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Host name.")
  String name;

  @Mixin
  OutputOptions output;

  @Option(
      names = "--refresh",
      description = "Ask the agent to report now and wait (up to 15 s) for that report.")
  boolean refresh;

  @Override
  public Integer call() {
    HostDetail d;
    try (AdminClient client = new AdminClient(connection)) {
      GetHostRequest get = GetHostRequest.newBuilder().setName(name).build();
      if (refresh) {
        RefreshHostResponse r = client.call(
            s -> s.refreshHost(RefreshHostRequest.newBuilder().setName(name).build()));
        if (!r.getRequested()) {
          spec.commandLine()
              .getErr()
              .println("warning: " + name + " has no live stream to any controller; "
                  + "showing its last report");
        } else if (!awaitNewer(client, get, r.getLastSeq())) {
          spec.commandLine()
              .getErr()
              .println("warning: no new report from " + name + " within 15 s; "
                  + "showing its last report");
        }
      }
      d = client.call(s -> s.getHost(get));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(d));
      return ExitCodes.OK;
    }
    HostSummary h = d.getSummary();
    HostIdentity id = d.getSnapshot().getIdentity();
    OllamaInventory o = d.getSnapshot().getOllama();
    Instant now = Instant.now();
    row(out, "name", h.getName());
    row(out, "host id", h.getHostId());
    row(
        out,
        "status",
        Formats.status(h.getStatus()) + (h.getConnected() ? ", stream connected" : ""));
    row(
        out,
        "last seen",
        Formats.local(h.getLastSeen()) + " (" + Formats.ago(h.getLastSeen(), now) + "), seq "
            + h.getLastSeq());
    row(out, "enrolled", Formats.local(h.getEnrolledAt()));
    row(out, "labels", Formats.labels(h.getLabelsMap()));
    if (!d.hasSnapshot()) {
      out.println();
      out.println("no report received yet");
      return ExitCodes.OK;
    }
    row(out, "hostname", id.getHostname());
    row(out, "hardware uuid", Formats.orDash(id.getHardwareUuid()));
    row(out, "model id", Formats.orDash(id.getModelId()));
    row(
        out,
        "chip",
        Formats.orDash(id.getCpuBrand())
            + (id.getChipGeneration().isEmpty()
                ? ""
                : " (generation " + id.getChipGeneration() + ", tier " + id.getChipTier() + ")"));
    row(
        out,
        "cpu cores",
        id.getCpuCores()
            + (id.getPerformanceCores() > 0
                ? " (" + id.getPerformanceCores() + " performance, " + id.getEfficiencyCores()
                    + " efficiency)"
                : "")
            + (id.getVirtualMachine() ? ", virtual machine" : ""));
    row(out, "memory", Formats.bytes(id.getMemoryBytes()));
    row(
        out,
        "os",
        (id.getOsName() + " " + id.getOsVersion() + " " + id.getOsExtra())
                .replaceAll("\\s+", " ")
                .strip()
            + (id.getOsBuild().isEmpty() ? "" : " build " + id.getOsBuild()));
    row(out, "kernel", Formats.orDash(id.getKernel()) + " " + id.getArch());
    row(
        out,
        "agent",
        d.getSnapshot().getAgentVersion() + ", every " + d.getSnapshot().getReportIntervalSeconds()
            + "s"
            + (d.getSnapshot().getSpoolDropped() > 0
                ? ", " + d.getSnapshot().getSpoolDropped() + " report(s) dropped by a full spool"
                : ""));
    row(
        out,
        "ollama",
        o.getBaseUrl() + " " + Formats.ollama(h)
            + (o.getError().isEmpty() ? "" : " — " + o.getError()));
    if (d.getSnapshot().hasTelemetry()) {
      TelemetryView.print(d.getSnapshot().getTelemetry(), out);
    }
    out.println();
    if (o.getModelsCount() == 0) {
      out.println("no models");
      return ExitCodes.OK;
    }
    // DECLARED: the dtype /api/show says the runner reads (Gate A), beside the tags list's QUANT
    Table t = new Table(
            "MODEL", "DIGEST", "FORMAT", "QUANT", "DECLARED", "ARCH", "BACKEND", "SIZE", "LOADED")
        .detail("DIGEST"); // the full digest, on its own line: 71 characters
    for (ModelInfo m : o.getModelsList()) {
      t.add(
          m.getName(),
          Formats.orDash(m.getDigest()),
          Formats.orDash(m.getFormat()),
          Formats.orDash(m.getQuantization()),
          Formats.orDash(m.getDeclaredDtype()),
          Formats.orDash(m.getArchitecture()),
          backend(m),
          Formats.bytes(m.getSizeBytes()),
          m.getLoaded() ? "yes" : "no");
    }
    t.print(out, output.wide);
    return ExitCodes.OK;
  }

  private static boolean awaitNewer(AdminClient client, GetHostRequest get, long lastSeq) {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (client.call(s -> s.getHost(get)).getSummary().getLastSeq() > lastSeq) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static String backend(ModelInfo m) {
    return switch (m.getBackend()) {
      case BACKEND_MLX -> "mlx";
      case BACKEND_LLAMA_CPP -> "llama.cpp";
      default -> "unknown";
    };
  }

  private static void row(PrintWriter out, String k, String v) {
    out.printf(
        "%-14s %s%n", k, Table.escape(v)); // versions, names and errors as the Mac reported them
  }
}
