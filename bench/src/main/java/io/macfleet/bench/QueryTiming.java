package io.macfleet.bench;

import com.google.protobuf.Timestamp;
import io.macfleet.controller.cli.AdminClient;
import io.macfleet.controller.cli.ConnectionOptions;
import io.macfleet.proto.v1.GetReportRequest;
import io.macfleet.proto.v1.ListHostsRequest;
import io.macfleet.proto.v1.ListRunsRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Server-side query latency as a program sees it: one warm, authenticated TLS channel, each call timed from
 * request to the last byte of the answer (five times after two warm-ups).
 *   QueryTiming HOST:PORT DATA_DIR
 */
public final class QueryTiming {
  public static void main(String[] args) {
    try (AdminClient client =
        new AdminClient(ConnectionOptions.of(args[0], Path.of(args[1]), false))) {
      Instant since = Instant.now().minusSeconds(30L * 86400);
      time(
          "ListHosts (every host)",
          () -> client
              .call(s -> s.listHosts(ListHostsRequest.getDefaultInstance()), 120)
              .getHostsCount());
      time(
          "GetReport (newest run per host)",
          () -> client
              .call(
                  s -> s.getReport(GetReportRequest.newBuilder()
                      .setModel("qwen3.6:35b-a3b-nvfp4")
                      .setSince(Timestamp.newBuilder().setSeconds(since.getEpochSecond()))
                      .build()),
                  120)
              .getRowsCount());
      time(
          "ListRuns (one host)",
          () -> client
              .call(
                  s -> s.listRuns(
                      ListRunsRequest.newBuilder().setHost("mac-00042").build()),
                  120)
              .getRunsCount());
    }
  }

  private static void time(String what, Supplier<Integer> call) {
    call.get();
    call.get();
    double[] ms = new double[5];
    int n = 0;
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      n = call.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "%-34s %,7d rows   p50 %7.0f ms   max %7.0f ms   (target ≤ 1,000 ms)%n",
        what, n, ms[2], ms[4]);
  }
}
