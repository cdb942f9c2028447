package io.macfleet.controller;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Enroller;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.controller.cli.MacfleetMain;
import io.macfleet.controller.security.DataDirectory;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;
import io.macfleet.proto.v1.ReportRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real controller (TLS, H2 file database) on a loopback port, plus helpers that act as agents and CLI. */
public final class TestController implements AutoCloseable {
  public final Path dataDir;
  private ControllerServer server;
  private int port;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<io.macfleet.agent.link.h2.ControllerLink> links = new ArrayList<>();

  private final java.time.Duration runTimeout;

  public TestController(Path dataDir) throws IOException {
    this(dataDir, java.time.Duration.ofMinutes(30));
  }

  public TestController(Path dataDir, java.time.Duration runTimeout) throws IOException {
    this(dataDir, runTimeout, null);
  }

  /** jdbcUrl: a PostgreSQL database (TestPostgres.create()) instead of the embedded H2; null for H2. */
  public TestController(Path dataDir, java.time.Duration runTimeout, String jdbcUrl)
      throws IOException {
    this(dataDir, runTimeout, jdbcUrl, java.util.function.UnaryOperator.identity());
  }

  /** A controller whose configuration {@code tweak} changes (limits, retention) before it starts. */
  public TestController(Path dataDir, java.util.function.UnaryOperator<ControllerConfig> tweak)
      throws IOException {
    this(dataDir, java.time.Duration.ofMinutes(30), null, tweak);
  }

  private TestController(
      Path dataDir,
      java.time.Duration runTimeout,
      String jdbcUrl,
      java.util.function.UnaryOperator<ControllerConfig> tweak)
      throws IOException {
    this.dataDir = dataDir;
    this.runTimeout = runTimeout;
    this.jdbcUrl = jdbcUrl;
    this.tweak = tweak;
    start(0);
  }

  private final java.util.function.UnaryOperator<ControllerConfig> tweak;

  private final String jdbcUrl;

  public void start(int fixedPort) throws IOException {
    ControllerConfig cfg = ControllerConfig.defaults(dataDir)
        .withListen("127.0.0.1", fixedPort)
        .withOpsPort(0)
        .withRunTimeout(runTimeout);
    if (jdbcUrl != null) {
      java.nio.file.Files.createDirectories(dataDir);
      Path pw = dataDir.resolve("db-password");
      java.nio.file.Files.writeString(pw, io.macfleet.controller.store.TestPostgres.password());
      cfg = cfg.withDatabase(jdbcUrl, io.macfleet.controller.store.TestPostgres.user(), pw);
    }
    server = ControllerServer.start(tweak.apply(cfg));
    port = server.port();
  }

  public void stop() {
    server.close();
  }

  /** Starts again on the same data directory and port, as after a controller restart. */
  public TestController restarted(int fixedPort) throws IOException {
    start(fixedPort);
    return this;
  }

  public ControllerServer server() {
    return server;
  }

  public int port() {
    return port;
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  public String caPem() throws IOException {
    return Files.readString(DataDirectory.caCert(dataDir));
  }

  /** Enrolls like the real agent command, returning the agent's state directory. */
  public AgentState enroll(Path agentDir, String name, String uuid) throws IOException {
    AgentState state = new AgentState(agentDir);
    Enroller.enroll(
        state,
        target(),
        EnrollmentBundle.read(DataDirectory.agentBundle(dataDir), null),
        false,
        name,
        uuid,
        "test");
    return state;
  }

  public AgentServiceGrpc.AgentServiceBlockingStub agentStub(String nodeKey) {
    ManagedChannel ch;
    try {
      ch = AgentChannels.open(target(), caPem());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    channels.add(ch);
    var stub = AgentServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    return nodeKey == null ? stub : stub.withCallCredentials(AgentChannels.nodeKey(nodeKey));
  }

  /** The agent's own client to this controller, calling as the host with NODE_KEY. */
  public io.macfleet.agent.link.AgentCalls agentCalls(String nodeKey) {
    try {
      var link = io.macfleet.agent.link.h2.ControllerLink.open(target(), caPem(), false);
      links.add(link);
      return new io.macfleet.agent.link.AgentCalls(link, nodeKey);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Enrolls against a controller running in another process, from its data directory. */
  public record Enrolling(Path dataDir, int port) {
    public AgentState enroll(Path agentDir, String name) throws IOException {
      AgentState state = new AgentState(agentDir);
      Enroller.enroll(
          state,
          "127.0.0.1:" + port,
          EnrollmentBundle.read(DataDirectory.agentBundle(dataDir), null),
          false,
          name,
          "UUID-" + name,
          "test");
      return state;
    }
  }

  public record CliResult(int code, String out, String err) {}

  /** The gRPC status code a call ends with (OK when it succeeds). */
  public static io.grpc.Status.Code code(Runnable call) {
    try {
      call.run();
      return io.grpc.Status.Code.OK;
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  public CliResult cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--controller", target(), "--data-dir", dataDir.toString()));
    return cliRaw(all.toArray(new String[0]));
  }

  /**
   * A real agent daemon for a test: this machine's Linux collectors, its Ollama at ollamaUrl (a simulator), reporting
   * every 10 minutes (tests ask for reports or probes themselves).
   */
  public static io.macfleet.agent.AgentDaemon agent(AgentState a, String ollamaUrl, String name)
      throws IOException {
    return agent(a, ollamaUrl, name, null);
  }

  /** As {@link #agent(AgentState, String, String)}, reading Ollama's server.log (Gate C) when it is not null. */
  public static io.macfleet.agent.AgentDaemon agent(
      AgentState a, String ollamaUrl, String name, Path ollamaLog) throws IOException {
    HostCollectors host = HostCollectors.linux(
        Path.of("/"),
        java.util.Optional.ofNullable(ollamaLog),
        java.net.URI.create(ollamaUrl).getPort());
    // with a log, the daemon also reads its callers and samples telemetry while probing
    return daemon(a, host, ollamaUrl, name, ollamaLog == null ? null : host);
  }

  /**
   * A real agent daemon whose host facts come from saved macOS command outputs in {@code macDir} (KIND.txt, as
   * `macfleet-agent run --replay` reads them): a Mac's chip generation and software triple on this Linux machine.
   */
  public static io.macfleet.agent.AgentDaemon agentOnMacOutputs(
      AgentState a, String ollamaUrl, String name, Path macDir) throws IOException {
    return daemon(a, HostCollectors.replay(macDir), ollamaUrl, name, null);
  }

  private static io.macfleet.agent.AgentDaemon daemon(
      AgentState a, HostCollectors host, String ollamaUrl, String name, HostCollectors probeHost)
      throws IOException {
    return new io.macfleet.agent.AgentDaemon(
        a,
        new io.macfleet.agent.SnapshotCollector(
            host,
            new io.macfleet.agent.ollama.OllamaInventoryCollector(
                new io.macfleet.agent.ollama.OllamaClient(ollamaUrl)),
            name,
            java.time.Duration.ofMinutes(10),
            java.time.Clock.systemUTC()),
        new io.macfleet.agent.AgentDaemon.Settings(
            java.time.Duration.ofMinutes(10),
            java.time.Duration.ofSeconds(5),
            100,
            ollamaUrl,
            probeHost));
  }

  public static CliResult cliRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MacfleetMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliResult(code, out.toString(), err.toString());
  }

  public static HostSnapshot snapshot(
      String hostname, String ollamaVersion, String chipGen, ModelInfo... models) {
    Instant now = Instant.now();
    return HostSnapshot.newBuilder()
        .setIdentity(HostIdentity.newBuilder()
            .setHostname(hostname)
            .setOsName("macOS")
            .setOsVersion("26.3.1")
            .setOsExtra("(a)")
            .setOsBuild("25D771280a")
            .setCpuBrand("Apple " + chipGen + " Pro")
            .setChipGeneration(chipGen)
            .setChipTier("Pro")
            .setMemoryBytes(64L << 30)
            .setModelId("Mac16,11"))
        .setOllama(OllamaInventory.newBuilder()
            .setState(OllamaState.OLLAMA_UP)
            .setVersion(ollamaVersion)
            .setBaseUrl("http://127.0.0.1:11434")
            .addAllModels(List.of(models)))
        .setCollectedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setReportIntervalSeconds(15)
        .setAgentVersion("test")
        .build();
  }

  public static ReportRequest report(String hostId, long seq, HostSnapshot s) {
    return ReportRequest.newBuilder()
        .setHostId(hostId)
        .setSeq(seq)
        .setSnapshot(s)
        .build();
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    links.forEach(io.macfleet.agent.link.h2.ControllerLink::close);
    server.close();
  }
}
