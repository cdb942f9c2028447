package io.macfleet.bench;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.macfleet.agent.link.ControllerChannels;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.agent.link.NodeKeyCredentials;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportReason;
import io.macfleet.proto.v1.ReportRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Simulates N agents against a running controller over real gRPC (TLS, one channel per agent, as on a
 * real fleet): each enrolls, then reports every interval at a random phase. Prints reports/s, the
 * acknowledgement latency distribution and the lost-report count, checked against the database rows.
 *
 * Usage: IngestLoad TARGET DATA_DIR AGENTS INTERVAL_MS WARMUP_S MEASURE_S
 */
public final class IngestLoad {
  public static void main(String[] args) throws Exception {
    String target = args[0];
    Path dataDir = Path.of(args[1]);
    int agents = Integer.parseInt(args[2]);
    long intervalMs = Long.parseLong(args[3]);
    int warmupS = Integer.parseInt(args[4]);
    int measureS = Integer.parseInt(args[5]);

    EnrollmentBundle bundle = EnrollmentBundle.read(dataDir.resolve("agent-bundle.json"), null);
    List<ManagedChannel> channels = new ArrayList<>();
    List<AgentServiceGrpc.AgentServiceStub> stubs = new ArrayList<>();
    List<String> hostIds = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < agents; i++) {
      ManagedChannel ch = ControllerChannels.open(target, bundle.caPem(), false);
      channels.add(ch);
      EnrollResponse e = AgentServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder().setEnrollmentSecret(bundle.secret())
              .setHostname(String.format("bench-%05d", i)).setHardwareUuid("BENCH-" + i).build());
      hostIds.add(e.getHostId());
      stubs.add(AgentServiceGrpc.newStub(ch).withCallCredentials(new NodeKeyCredentials(e.getNodeKey())));
    }
    System.out.printf("enrolled %d agents in %.1f s (one TLS channel each)%n", agents,
        (System.nanoTime() - t0) / 1e9);

    Recorder recorder = new Recorder(3);
    AtomicLong sent = new AtomicLong();
    AtomicLong stored = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    long[] seqs = new long[agents];
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    Random random = new Random(42);
    for (int i = 0; i < agents; i++) {
      int agent = i;
      HostSnapshot base = snapshot(String.format("bench-%05d", i));
      timers.scheduleAtFixedRate(() -> {
        long seq = ++seqs[agent];
        Instant now = Instant.now();
        ReportRequest r = ReportRequest.newBuilder().setHostId(hostIds.get(agent)).setSeq(seq)
            .setReason(ReportReason.REPORT_INTERVAL).setSnapshot(base.toBuilder()
                .setCollectedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())))
            .build();
        long start = System.nanoTime();
        sent.incrementAndGet();
        inFlight.incrementAndGet();
        stubs.get(agent).withDeadlineAfter(10, TimeUnit.SECONDS).report(r, new StreamObserver<>() {
          @Override
          public void onNext(ReportAck ack) {
            recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            (ack.getOutcome() == ReportAck.Outcome.STORED ? stored : duplicates).incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {
            errors.incrementAndGet();
            inFlight.decrementAndGet();
            if (errors.get() <= 5) {
              System.out.println("report failed: " + t);
            }
          }

          @Override
          public void onCompleted() {
            inFlight.decrementAndGet();
          }
        });
      }, random.nextInt((int) intervalMs), intervalMs, TimeUnit.MILLISECONDS);
    }

    Thread.sleep(warmupS * 1000L);
    recorder.getIntervalHistogram(); // discard warm-up
    long sentAtStart = sent.get();
    long storedAtStart = stored.get();
    long measureStart = System.nanoTime();
    Thread.sleep(measureS * 1000L);
    Histogram h = recorder.getIntervalHistogram();
    double seconds = (System.nanoTime() - measureStart) / 1e9;
    long acked = stored.get() - storedAtStart;
    timers.shutdownNow();
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(50);
    }
    channels.forEach(ManagedChannel::shutdownNow);

    System.out.printf("agents %d, interval %d ms, measured %.0f s after %d s warm-up%n", agents, intervalMs, seconds,
        warmupS);
    System.out.printf("offered %.0f reports/s, acknowledged %.0f reports/s%n",
        (sent.get() - sentAtStart) / seconds, acked / seconds);
    System.out.printf("ack latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    System.out.printf("total sent %d, stored %d, duplicates %d, errors %d, unanswered %d%n", sent.get(),
        stored.get(), duplicates.get(), errors.get(), inFlight.get());
    System.out.println("RESULT_STORED=" + stored.get());
    System.exit(errors.get() == 0 && inFlight.get() == 0 ? 0 : 1);
  }

  /**
   * Counts rows after the controller has stopped: every acknowledged report must be there. With $BENCH_DB
   * (postgresql://…) the PostgreSQL database, credentials from $MACFLEET_DB_USER / $MACFLEET_DB_PASSWORD.
   */
  public static final class CountRows {
    public static void main(String[] args) throws Exception {
      String pg = System.getenv("BENCH_DB");
      try (Database db = pg == null ? Database.open(Database.h2Url(Path.of(args[0])), "", "", 2)
          : Database.open(io.macfleet.controller.store.DatabaseUrl.jdbc(pg),
              io.macfleet.controller.store.DatabaseUrl.user(null), io.macfleet.controller.store.DatabaseUrl.password(null),
              2)) {
        System.out.println("RESULT_ROWS=" + new ReportRepository(db).count());
      }
    }
  }

  static HostSnapshot snapshot(String name) {
    return HostSnapshot.newBuilder()
        .setIdentity(HostIdentity.newBuilder().setHostname(name).setHardwareUuid("BENCH").setOsName("macOS")
            .setOsVersion("26.3.1").setOsBuild("25D2128").setCpuBrand("Apple M4 Pro").setChipGeneration("M4")
            .setChipTier("Pro").setMemoryBytes(64L << 30).setModelId("Mac16,11").setCpuCores(14).setArch("arm64"))
        .setOllama(OllamaInventory.newBuilder().setState(OllamaState.OLLAMA_UP).setVersion("0.32.15")
            .setBaseUrl("http://127.0.0.1:11434")
            .addModels(ModelInfo.newBuilder().setName("qwen3.6:35b-a3b-nvfp4").setDigest("1".repeat(64))
                .setFormat("safetensors").setQuantization("nvfp4").setBackend(Backend.BACKEND_MLX)
                .setSizeBytes(21L << 30).setLoaded(true))
            .addModels(ModelInfo.newBuilder().setName("llama3.2:latest")
                .setDigest("a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72").setFormat("gguf")
                .setQuantization("Q4_K_M").setFamily("llama").setBackend(Backend.BACKEND_LLAMA_CPP)
                .setSizeBytes(2019393189L)))
        .setAgentVersion("bench").setReportIntervalSeconds(1).build();
  }
}
