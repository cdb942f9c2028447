package io.macfleet.controller.cli;

import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.ListHostsRequest;
import io.macfleet.proto.v1.ListHostsResponse;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "hosts",
    mixinStandardHelpOptions = true,
    description = "List the fleet: one row per host.",
    subcommands = {HostsLabelCommand.class, HostsRevokeCommand.class, HostsApproveCommand.class})
final class HostsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--json", description = "Print JSON (an array, one object per host).")
  boolean json;

  @Mixin
  LimitOption limits;

  @Override
  public Integer call() {
    ListHostsResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listHosts(ListHostsRequest.getDefaultInstance()));
    }
    int all = resp.getHostsCount();
    resp = resp.toBuilder()
        .clearHosts()
        .addAllHosts(limits.first(resp.getHostsList(), 1000))
        .build();
    if (resp.getHostsCount() < all) {
      spec.commandLine()
          .getErr()
          .println("showing " + resp.getHostsCount() + " of " + all + " hosts (--limit)");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(ProtoJson.array(resp.getHostsList()));
      return ExitCodes.OK;
    }
    print(resp, out);
    return ExitCodes.OK;
  }

  static void print(ListHostsResponse resp, PrintWriter out) {
    if (resp.getHostsCount() == 0) {
      out.println(
          "no hosts enrolled yet; enroll one with: macfleet-agent enroll --controller HOST:PORT "
              + "--secret-file agent-bundle.json");
      return;
    }
    Instant now =
        Instant.ofEpochSecond(resp.getNow().getSeconds(), resp.getNow().getNanos());
    Table t = new Table(
        "NAME",
        "CHIP",
        "MEMORY",
        "OS",
        "OLLAMA",
        "BACKENDS",
        "MODELS",
        "THERMAL",
        "POWER",
        "DOCK",
        "SWAP",
        "LABELS",
        "LAST SEEN",
        "STATUS");
    for (HostSummary h : resp.getHostsList()) {
      t.add(
          h.getName(),
          Formats.orDash(h.getChip()),
          Formats.bytes(h.getMemoryBytes()),
          Formats.os(h),
          Formats.ollama(h),
          h.getBackendsCount() == 0 ? "-" : String.join(",", h.getBackendsList()),
          Integer.toString(h.getModelCount()),
          Formats.orDash(h.getThermalLevel()),
          Formats.power(h),
          Formats.orDash(h.getMobility()),
          Formats.swap(h),
          Formats.labels(h.getLabelsMap()),
          Formats.ago(h.getLastSeen(), now),
          status(h));
    }
    t.print(out);
    long limit = io.macfleet.controller.verdict.Thresholds.defaults().swapAverageBytes();
    if (resp.getHostsList().stream()
        .anyMatch(h -> h.hasSwapUsedBytes() && h.getSwapUsedBytes() > limit)) {
      out.println("! swap past the runbook's " + (limit >> 20) + " MB");
    }
  }

  /**
   * online/stale/offline; what the newest agentless check found when it came after the last report; and what the
   * controller flags: a clock off by over a minute, reports lost from the stored history.
   */
  static String status(io.macfleet.proto.v1.HostSummary h) {
    String s = Formats.status(h.getStatus());
    java.util.List<String> notes = new java.util.ArrayList<>();
    if (!h.getAgentlessState().isEmpty()
        && h.getStatus() != io.macfleet.proto.v1.HostStatus.HOST_ONLINE
        && h.getAgentlessAt().getSeconds() >= h.getLastSeen().getSeconds()) {
      notes.add(h.getAgentlessState().replace('_', ' '));
    }
    if (h.getClockSkewMs() != 0) {
      notes.add("clock "
          + io.macfleet.controller.fleet.HostFlags.human(
                  java.time.Duration.ofMillis(h.getClockSkewMs()))
              .replace(" ahead of", " ahead"));
    }
    if (h.getHistoryGap() > 0) {
      notes.add(h.getHistoryGap() + " acknowledged report(s) missing");
    }
    return notes.isEmpty() ? s : s + " (" + String.join("; ", notes) + ")";
  }
}
