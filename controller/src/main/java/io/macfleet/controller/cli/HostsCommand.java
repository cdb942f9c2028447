package io.macfleet.controller.cli;

import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.ListHostsRequest;
import io.macfleet.proto.v1.ListHostsResponse;
import io.macfleet.shared.ProtoJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin
  OutputOptions output;

  @Mixin
  LimitOption limits;

  @Override
  public Integer call() {
    ListHostsResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listHosts(ListHostsRequest.getDefaultInstance()));
    }
    List<HostSummary> shown = limits.first(resp.getHostsList(), 1000);
    if (shown.size() < resp.getHostsCount()) {
      spec.commandLine()
          .getErr()
          .println("showing " + shown.size() + " of " + resp.getHostsCount() + " hosts (--limit)");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      ProtoJson.printArray(out, shown);
      return ExitCodes.OK;
    }
    print(shown, resp.getNow(), out, output.wide);
    return ExitCodes.OK;
  }

  /**
   * The fleet's table. Without --wide the chip, memory, backends, model count and labels are left out: the
   * software triple and what the laptop is doing (thermal, power, dock, swap) are what a row is read for.
   */
  static void print(
      List<HostSummary> hosts, com.google.protobuf.Timestamp at, PrintWriter out, boolean wide) {
    if (hosts.isEmpty()) {
      out.println(
          "no hosts enrolled yet; enroll one with: macfleet-agent enroll --controller HOST:PORT "
              + "--secret-file agent-bundle.json");
      return;
    }
    Instant now = Instant.ofEpochSecond(at.getSeconds(), at.getNanos());
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
            "STATUS",
            "NOTES")
        .detail("NOTES")
        .whole("STATUS")
        .wideOnly("CHIP", "MEMORY", "BACKENDS", "MODELS", "LABELS");
    for (HostSummary h : hosts) {
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
          Formats.status(h.getStatus()),
          String.join("; ", notes(h)));
    }
    t.print(out, wide);
    long limit = io.macfleet.controller.verdict.Thresholds.defaults().swapAverageBytes();
    if (hosts.stream().anyMatch(h -> h.hasSwapUsedBytes() && h.getSwapUsedBytes() > limit)) {
      out.println("! swap past the runbook's " + (limit >> 20) + " MB");
    }
  }

  /**
   * What the newest agentless check found when it came after the last report, and what the controller flags: a
   * clock off by over a minute, reports lost from the stored history. A line under the table unless --wide.
   */
  static java.util.List<String> notes(io.macfleet.proto.v1.HostSummary h) {
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
    return notes;
  }
}
