package io.macfleet.bench;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.LidState;
import io.macfleet.proto.v1.Memory;
import io.macfleet.proto.v1.MemoryPressure;
import io.macfleet.proto.v1.Mobility;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;
import io.macfleet.proto.v1.Power;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import io.macfleet.proto.v1.Sleep;
import io.macfleet.proto.v1.SleepAssertion;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.Thermal;
import io.macfleet.proto.v1.ThermalLevel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Simulates N agents against a running controller over real gRPC (TLS, one channel per agent, as on a
 * real fleet): each enrolls, then reports every interval at a random phase. Prints reports/s, the
 * acknowledgement latency distribution and the lost-report count, checked against the database rows.
 *
 * Usage: IngestLoad TARGET[,TARGET…] DATA_DIR AGENTS INTERVAL_MS WARMUP_S MEASURE_S (agents spread over the
 * targets in turn, for several controllers)
 */
public final class IngestLoad {
  public static void main(String[] args) throws Exception {
    String[] targets = args[0].split(",");
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
      ManagedChannel ch = GrpcAgents.open(targets[i % targets.length], bundle.caPem());
      channels.add(ch);
      EnrollResponse e = AgentServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder()
              .setEnrollmentSecret(bundle.secret())
              .setHostname(String.format("bench-%05d", i))
              .setHardwareUuid("BENCH-" + i)
              .build());
      hostIds.add(e.getHostId());
      // callbacks run on the network thread: they only record and send the next report
      stubs.add(AgentServiceGrpc.newStub(ch)
          .withCallCredentials(GrpcAgents.nodeKey(e.getNodeKey()))
          .withExecutor(com.google.common.util.concurrent.MoreExecutors.directExecutor()));
    }
    System.out.printf(
        "enrolled %d agents in %.1f s (one TLS channel each)%n",
        agents, (System.nanoTime() - t0) / 1e9);

    boolean onStream = !"call".equals(System.getenv("BENCH_TRANSPORT"));
    // the hand-encoded report must parse to the very message an agent builds (see ReportBytes)
    HostSnapshot sample = snapshot("bench-check");
    ReportBytes check = new ReportBytes("check", sample);
    long now = System.currentTimeMillis();
    if (!AgentMessage.parseFrom(check.encode(977, now)).equals(check.expected(sample, 977, now))) {
      throw new IllegalStateException("ReportBytes does not encode the report an agent would send");
    }
    Stats stats = new Stats();
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    Random random = new Random(42);
    List<SimulatedAgent> simulated = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      SimulatedAgent a = new SimulatedAgent(
          hostIds.get(i), stubs.get(i), snapshot(String.format("bench-%05d", i)), stats, timers);
      simulated.add(a);
      if (onStream) {
        a.openStream();
      }
    }
    if (onStream) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (stats.streams.get() < agents && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      System.out.printf(
          "%d of %d agents have a control stream that takes reports%n",
          stats.streams.get(), agents);
    }
    for (int i = 0; i < agents; i++) {
      SimulatedAgent a = simulated.get(i);
      timers.scheduleAtFixedRate(
          a::due, random.nextInt((int) intervalMs), intervalMs, TimeUnit.MILLISECONDS);
    }

    long reportingSince = System.nanoTime();
    Thread.sleep(warmupS * 1000L);
    // The first reports meet a controller that is still compiling its ingest path, and the backlog
    // they leave
    // can outlast a fixed warm-up; measuring its drain would report the start-up, not the steady
    // state. So
    // the warm-up goes on until fewer than 100 ms worth of reports are unanswered, 5 s in a row (at
    // most
    // twice as long again; the run says when it never settled).
    long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(2L * warmupS);
    long settledFor = 0;
    long allowed = Math.max(1, agents * 100L / intervalMs);
    while (settledFor < 5 && System.nanoTime() < settleBy) {
      Thread.sleep(1000);
      long unanswered = stats.due.get() - stats.stored.get() - stats.duplicates.get();
      settledFor = unanswered < allowed ? settledFor + 1 : 0;
    }
    System.out.printf(
        settledFor >= 5
            ? "settled after %.0f s of warm-up%n"
            : "NOT SETTLED after %.0f s of warm-up: the measured window includes a backlog%n",
        (System.nanoTime() - reportingSince) / 1e9);
    stats.ack.getIntervalHistogram(); // discard warm-up
    stats.lag.getIntervalHistogram();
    long dueAtStart = stats.due.get();
    long storedAtStart = stats.stored.get();
    long measureStart = System.nanoTime();
    System.out.printf("measuring for %d s%n", measureS); // bench/ingest.sh samples CPU from here
    // second by second, so a tail can be matched with what happened then (GC pauses, pings,
    // scrapes)
    Histogram h = new Histogram(3);
    StringBuilder timeline = new StringBuilder();
    java.time.format.DateTimeFormatter clock =
        java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
    for (int s = 0; s < measureS; s++) {
      Thread.sleep(1000);
      Histogram second = stats.ack.getIntervalHistogram();
      h.add(second);
      timeline.append(String.format(
          "  %s n=%d p99=%.0f max=%.0f%n",
          clock.format(java.time.Instant.now()),
          second.getTotalCount(),
          second.getValueAtPercentile(99) / 1000.0,
          second.getMaxValue() / 1000.0));
    }
    Histogram lag = stats.lag.getIntervalHistogram();
    double seconds = (System.nanoTime() - measureStart) / 1e9;
    long acked = stats.stored.get() - storedAtStart;
    long offered = stats.due.get() - dueAtStart;
    timers.shutdownNow();
    simulated.forEach(SimulatedAgent::stop);
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stats.inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(50);
    }
    long spooled = simulated.stream().mapToLong(SimulatedAgent::spooled).sum();
    channels.forEach(ManagedChannel::shutdownNow);

    System.out.printf(
        "agents %d over %d controller(s), interval %d ms, reports %s, measured %.0f s after %d s "
            + "warm-up%n",
        agents,
        targets.length,
        intervalMs,
        onStream ? "on the control stream" : "by Report calls",
        seconds,
        warmupS);
    System.out.printf(
        "offered %.0f reports/s, acknowledged %.0f reports/s%n",
        offered / seconds, acked / seconds);
    System.out.printf(
        "ack latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0);
    System.out.printf(
        "due-to-ack ms (includes waiting in the agent's spool): p50 %.2f  p99 %.2f  max %.2f%n",
        lag.getValueAtPercentile(50) / 1000.0,
        lag.getValueAtPercentile(99) / 1000.0,
        lag.getMaxValue() / 1000.0);
    System.out.printf(
        "total due %d, sent %d, stored %d, duplicates %d, errors %d (retried), unanswered %d, "
            + "still spooled %d%n",
        stats.due.get(),
        stats.sent.get(),
        stats.stored.get(),
        stats.duplicates.get(),
        stats.errors.get(),
        stats.inFlight.get(),
        spooled);
    System.out.print("ack latency by second (UTC, ms):\n" + timeline);
    System.out.println("RESULT_STORED=" + stats.stored.get());
    System.exit(stats.inFlight.get() == 0 ? 0 : 1);
  }

  /**
   * Counts rows after the controller has stopped: every acknowledged report must be there. With $BENCH_DB
   * (postgresql://…) the PostgreSQL database, credentials from $MACFLEET_DB_USER / $MACFLEET_DB_PASSWORD.
   */
  public static final class CountRows {
    public static void main(String[] args) throws Exception {
      String pg = System.getenv("BENCH_DB");
      try (Database db = pg == null
          ? Database.open(Database.h2Url(Path.of(args[0])), "", "", 2)
          : Database.open(
              io.macfleet.controller.store.DatabaseUrl.jdbc(pg),
              io.macfleet.controller.store.DatabaseUrl.user(null),
              io.macfleet.controller.store.DatabaseUrl.password(null),
              2)) {
        System.out.println("RESULT_ROWS=" + new ReportRepository(db).count());
        // every agent's seqs run 1..n without a gap, so a missing row shows as a hole below some
        // host's highest seq
        try (var c = db.dataSource().getConnection();
            var st = c.createStatement();
            var rs = st.executeQuery(
                "SELECT COUNT(*), COALESCE(SUM(top - n), 0) FROM (SELECT host_id, MAX(seq) AS top, "
                    + "COUNT(*) AS n FROM reports GROUP BY host_id) per_host")) {
          rs.next();
          System.out.println("hosts with reports " + rs.getLong(1)
              + ", seqs missing below a host's highest: " + rs.getLong(2));
        }
      }
    }
  }

  private static final class Stats {
    final Recorder ack = new Recorder(3);
    final Recorder lag = new Recorder(3);
    final AtomicLong due = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong streams = new AtomicLong();
  }

  /**
   * One agent as the real one behaves: a report falls due every interval and joins its spool; reports leave the
   * spool strictly in sequence, one in flight at a time, the next only after the last was acknowledged; a
   * failed report is retried (same seq) a second later.
   */
  private static final class SimulatedAgent {
    private final String hostId;
    private final AgentServiceGrpc.AgentServiceStub stub;
    private final HostSnapshot base;
    private final ReportBytes bytes;
    private final Stats stats;
    private final ScheduledExecutorService timers;
    private final ArrayDeque<long[]> spool =
        new ArrayDeque<>(); // {seq, due nanos, collected epoch millis}
    private long lastSeq;
    private long sentAt;
    private long[] sentHead;
    private StreamObserver<byte[]> stream;
    private boolean inFlight;
    private boolean stopped;

    SimulatedAgent(
        String hostId,
        AgentServiceGrpc.AgentServiceStub stub,
        HostSnapshot base,
        Stats stats,
        ScheduledExecutorService timers) {
      this.hostId = hostId;
      this.stub = stub;
      this.base = base;
      this.bytes = new ReportBytes(hostId, base);
      this.stats = stats;
      this.timers = timers;
    }

    synchronized void due() {
      stats.due.incrementAndGet();
      spool.add(new long[] {++lastSeq, System.nanoTime(), System.currentTimeMillis()});
      sendHead();
    }

    synchronized void stop() {
      stopped = true;
    }

    synchronized long spooled() {
      return spool.size();
    }

    private void sendHead() {
      if (inFlight || stopped || spool.isEmpty()) {
        return;
      }
      long[] head = spool.peek();
      inFlight = true;
      stats.inFlight.incrementAndGet();
      stats.sent.incrementAndGet();
      sentHead = head;
      if (stream != null) {
        byte[] message = bytes.encode(head[0], head[2]);
        sentAt = System.nanoTime();
        stream.onNext(message);
        return;
      }
      ReportRequest r = bytes.expected(base, head[0], head[2]).getReport();
      sentAt = System.nanoTime();
      stub.withDeadlineAfter(10, TimeUnit.SECONDS).report(r, new StreamObserver<>() {
        @Override
        public void onNext(ReportAck ack) {
          acked(ack);
        }

        @Override
        public void onError(Throwable t) {
          failed(t);
        }

        @Override
        public void onCompleted() {
          // acked() moved on already
        }
      });
    }

    /** Opens the control stream as the agent does; reports go on it once the controller's hello offers it. */
    void openStream() {
      // the raw Connect: the same method and wire bytes, minus the generator's protobuf work (see
      // ReportBytes)
      StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(
          stub.getChannel().newCall(ReportBytes.CONNECT, stub.getCallOptions()),
          new StreamObserver<ControllerMessage>() {
            @Override
            public void onNext(ControllerMessage m) {
              switch (m.getBodyCase()) {
                case HELLO -> {
                  if (m.getHello().getReportsOnStream()) {
                    stats.streams.incrementAndGet();
                  }
                }
                case REPORT_ACK -> acked(m.getReportAck());
                case REPORT_REFUSED ->
                  failed(new IllegalStateException("refused: " + m.getReportRefused()));
                default -> {}
              }
            }

            @Override
            public void onError(Throwable t) {
              synchronized (SimulatedAgent.this) {
                if (inFlight) {
                  failed(t);
                }
                stopped = true; // the bench does not reconnect; the run reports it as unanswered or
                // spooled
              }
            }

            @Override
            public void onCompleted() {
              onError(new IllegalStateException("stream ended"));
            }
          });
      synchronized (this) {
        stream = out;
      }
      out.onNext(AgentMessage.newBuilder()
          .setHello(AgentHello.newBuilder().setHostId(hostId).setAgentVersion("bench"))
          .build()
          .toByteArray());
    }

    private void acked(ReportAck ack) {
      long now = System.nanoTime();
      synchronized (this) {
        stats.ack.recordValue(Math.max(1, (now - sentAt) / 1000));
        stats.lag.recordValue(Math.max(1, (now - sentHead[1]) / 1000));
        (ack.getOutcome() == ReportAck.Outcome.STORED ? stats.stored : stats.duplicates)
            .incrementAndGet();
        stats.inFlight.decrementAndGet();
        inFlight = false;
        spool.poll();
        sendHead();
      }
    }

    private void failed(Throwable t) {
      stats.inFlight.decrementAndGet();
      if (stats.errors.incrementAndGet() <= 5) {
        System.out.println("report failed (retried in 1 s): " + t);
      }
      synchronized (this) {
        inFlight = false;
      }
      try {
        timers.schedule(
            () -> {
              synchronized (SimulatedAgent.this) {
                sendHead();
              }
            },
            1,
            TimeUnit.SECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // the run is over; the report stays spooled
      }
    }
  }

  static HostSnapshot snapshot(String name) {
    return HostSnapshot.newBuilder()
        .setIdentity(HostIdentity.newBuilder()
            .setHostname(name)
            .setHardwareUuid("BENCH")
            .setOsName("macOS")
            .setOsVersion("26.3.1")
            .setOsBuild("25D2128")
            .setCpuBrand("Apple M4 Pro")
            .setChipGeneration("M4")
            .setChipTier("Pro")
            .setMemoryBytes(64L << 30)
            .setModelId("Mac16,11")
            .setCpuCores(14)
            .setArch("arm64"))
        .setOllama(OllamaInventory.newBuilder()
            .setState(OllamaState.OLLAMA_UP)
            .setVersion("0.32.15")
            .setBaseUrl("http://127.0.0.1:11434")
            .addModels(ModelInfo.newBuilder()
                .setName("qwen3.6:35b-a3b-nvfp4")
                .setDigest("1".repeat(64))
                .setFormat("safetensors")
                .setQuantization("nvfp4")
                .setBackend(Backend.BACKEND_MLX)
                .setSizeBytes(21L << 30)
                .setLoaded(true))
            .addModels(ModelInfo.newBuilder()
                .setName("llama3.2:latest")
                .setDigest("a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72")
                .setFormat("gguf")
                .setQuantization("Q4_K_M")
                .setFamily("llama")
                .setBackend(Backend.BACKEND_LLAMA_CPP)
                .setSizeBytes(2019393189L)))
        .setTelemetry(telemetry())
        .setAgentVersion("bench")
        .setReportIntervalSeconds(1)
        .build();
  }

  /** What a Mac mini's agent reports: every collector, as on a real host (about 1 KB with the rest). */
  static Telemetry telemetry() {
    Telemetry.Builder t = Telemetry.newBuilder()
        .setThermal(
            Thermal.newBuilder().setLevel(ThermalLevel.THERMAL_NOMINAL).setSource("notifyutil"))
        .setPower(Power.newBuilder().setSource(PowerSource.POWER_AC).setHasBattery(false))
        .setSleep(Sleep.newBuilder()
            .setLid(LidState.LID_NONE)
            .setMobility(Mobility.MOBILITY_DESKTOP)
            .setLastWake(Timestamp.newBuilder().setSeconds(1_795_000_000L))
            .setWakeReason("EC.LidOpen (User)")
            .setSleepCount(3)
            .addPreventers(SleepAssertion.newBuilder()
                .setProcess("ollama")
                .setPid(812)
                .setType("PreventUserIdleSystemSleep")
                .setName("llama runner")
                .setAge("00:41:10")))
        .setMemory(Memory.newBuilder()
            .setSwapTotalBytes(2L << 30)
            .setSwapUsedBytes(312L << 20)
            .setSwapFreeBytes((2L << 30) - (312L << 20))
            .setPressure(MemoryPressure.MEMORY_NORMAL)
            .setFreePercent(41)
            .setCompressorBytes(1_204_000_000L)
            .setPageouts(1021)
            .setSwapins(88)
            .setSwapouts(301))
        .setBootTime(Timestamp.newBuilder().setSeconds(1_794_000_000L))
        .setUptimeSeconds(1_000_000)
        .putOllamaSettings("OLLAMA_NUM_PARALLEL", "4")
        .putOllamaSettings("OLLAMA_KEEP_ALIVE", "30m")
        .putOllamaSettings("OLLAMA_FLASH_ATTENTION", "1");
    for (String c : new String[] {
      "thermal", "power", "sleep", "lid-and-displays", "memory", "uptime", "ollama-settings"
    }) {
      t.addCollectors(CollectorStatus.newBuilder()
          .setName(c)
          .setOutcome(CollectorStatus.Outcome.OK)
          .setMillis(14));
    }
    return t.build();
  }
}
