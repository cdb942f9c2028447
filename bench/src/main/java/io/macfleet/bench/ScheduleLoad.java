package io.macfleet.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.controller.store.Database;
import io.macfleet.proto.v1.AddScheduleRequest;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.ProbeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scheduling at scale: N hosts, each with its own one-minute schedule firing at second i % 60. Dispatch lag
 * is the time from a firing's due second to its run row (no agents run, so every run is recorded "missed",
 * which costs the controller the same dispatch work).
 *
 * Usage: ScheduleLoad enroll|schedule TARGET DATA_DIR N  — then, with the controller stopped: lag DATA_DIR N
 */
public final class ScheduleLoad {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "setup" -> setup(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      case "lag" -> lag(Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("setup or lag");
    }
  }

  static void setup(String target, Path dataDir, int n) throws Exception {
    EnrollmentBundle bundle = EnrollmentBundle.read(dataDir.resolve("agent-bundle.json"), null);
    ManagedChannel ch = GrpcAgents.open(target, bundle.caPem());
    var agent = AgentServiceGrpc.newBlockingStub(ch);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      agent
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder()
              .setEnrollmentSecret(bundle.secret())
              .setHostname(String.format("sched-%04d", i))
              .build());
    }
    Metadata md = new Metadata();
    md.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer "
            + Files.readString(dataDir.resolve("admin-token"), StandardCharsets.UTF_8)
                .strip());
    var admin = AdminServiceGrpc.newBlockingStub(ch)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    for (int i = 0; i < n; i++) {
      admin
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .addSchedule(AddScheduleRequest.newBuilder()
              .setName(String.format("s-%04d", i))
              .setCron((i % 60) + " * * * * ?")
              .setSelector(String.format("sched-%04d", i))
              .setSpec(ProbeSpec.newBuilder().setModel("qwen3.6:35b-a3b-nvfp4"))
              .build());
    }
    System.out.printf(
        "enrolled %d hosts and added %d one-minute schedules in %.1f s%n",
        n, n, (System.nanoTime() - t0) / 1e9);
    ch.shutdownNow();
  }

  static void lag(Path dataDir, int n) throws Exception {
    List<Double> lags = new ArrayList<>();
    try (Database db = Database.open(Database.h2Url(dataDir), "", "", 2);
        Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT h.name, r.requested_at FROM runs r JOIN hosts h "
                + "ON h.id = r.host_id WHERE r.purpose = 'scheduled'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int i = Integer.parseInt(rs.getString(1).substring("sched-".length()));
        OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
        // the firing was due at second (i % 60) of that minute, or of the minute before when just
        // past it
        OffsetDateTime due = at.withSecond(i % 60).withNano(0);
        if (due.isAfter(at)) {
          due = due.minusMinutes(1);
        }
        lags.add((at.toInstant().toEpochMilli() - due.toInstant().toEpochMilli()) / 1.0);
      }
    }
    Collections.sort(lags);
    if (lags.isEmpty()) {
      System.out.println("no scheduled runs recorded");
      return;
    }
    System.out.printf("firings recorded %d (for %d schedules)%n", lags.size(), n);
    System.out.printf(
        "dispatch lag ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f%n",
        pct(lags, 50), pct(lags, 90), pct(lags, 99), lags.get(lags.size() - 1));
  }

  static double pct(List<Double> sorted, double p) {
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
  }
}
