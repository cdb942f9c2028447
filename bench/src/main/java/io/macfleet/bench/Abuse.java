package io.macfleet.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Enroller;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.controller.cli.MacfleetMain;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.AgentHello;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.HostIdentity;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import io.macfleet.proto.v1.SetLabelsRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The hostile inputs of the trust issue, together against one running controller (another process, TLS on
 * loopback, admin SSH endpoint and ops port on), while a well-behaved host reports once a second throughout. Prints
 * per attack "held" or "NOT HELD" with what was seen, then whether the good host lost anything. Exits 1 when any
 * attack was not held.
 *
 * <pre>java -cp bench.jar io.macfleet.bench.Abuse CONTROLLER_TARGET DATA_DIR SSH_PORT OPS_PORT WORK_DIR</pre>
 *
 * The SSH key it uses must be in DATA_DIR/ssh/authorized_keys before the controller reads it (each login reads it),
 * so the program writes it itself.
 */
public final class Abuse {
  private record Outcome(String attack, boolean held, String seen) {}

  private final String target;
  private final Path data;
  private final int sshPort;
  private final int opsPort;
  private final Path work;
  private final String caPem;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final KeyPair sshKey;

  private Abuse(String target, Path data, int sshPort, int opsPort, Path work) throws Exception {
    this.target = target;
    this.data = data;
    this.sshPort = sshPort;
    this.opsPort = opsPort;
    this.work = work;
    this.caPem = Files.readString(data.resolve("tls/ca.pem"));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    this.sshKey = g.generateKeyPair();
    Files.createDirectories(data.resolve("ssh"));
    Files.writeString(
        data.resolve("ssh/authorized_keys"),
        PublicKeyEntry.toString(sshKey.getPublic()) + " abuse@bench\n");
  }

  public static void main(String[] args) throws Exception {
    Abuse a = new Abuse(
        args[0],
        Path.of(args[1]),
        Integer.parseInt(args[2]),
        Integer.parseInt(args[3]),
        Path.of(args[4]));
    System.exit(a.run());
  }

  private int run() throws Exception {
    // every enrollment first: the enrollment brute force at the end slows this address down
    AgentState good = enroll("good", "mac-good", "UUID-GOOD");
    AgentState victim = enroll("victim", "mac-victim", "UUID-VICTIM");
    AgentState noisy = enroll("noisy", "mac-noisy", "UUID-NOISY");
    AgentState jumper = enroll("jumper", "mac-jumper", "UUID-JUMPER");
    AgentState fat = enroll("fat", "mac-fat", "UUID-FAT");
    AgentState flood = enroll("flood", "mac-flood", "UUID-FLOOD");
    AgentState streams = enroll("streams", "mac-streams", "UUID-STREAMS");
    AgentState escape = enroll("escape", "mac-escape", "UUID-ESCAPE");
    AgentState rotated = enroll("rotated", "mac-rotated", "UUID-ROTATED");

    AtomicInteger goodSent = new AtomicInteger();
    AtomicInteger goodStored = new AtomicInteger();
    List<String> goodErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    var goodStub = stub(good.nodeKey());
    String goodId = good.enrollment().hostId;
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread goodHost = new Thread(
        () -> {
          while (!stop.get()) {
            int seq = goodSent.incrementAndGet();
            try {
              if (goodStub
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .report(report(goodId, seq, snapshot("mac-good")))
                      .getOutcome()
                  == ReportAck.Outcome.STORED) {
                goodStored.incrementAndGet();
              }
            } catch (StatusRuntimeException e) {
              goodErrors.add(seq + ": " + e.getStatus());
            }
            sleep(1000);
          }
        },
        "good-host");
    goodHost.start();

    ExecutorService pool = Executors.newCachedThreadPool();
    List<CompletableFuture<Outcome>> together = new ArrayList<>();
    for (Supplier<Outcome> attack : List.<Supplier<Outcome>>of(
        this::sshAtFile,
        () -> unstorableReports(noisy),
        () -> seqFarAhead(jumper),
        () -> reportFlood(flood),
        () -> extraStreams(streams),
        () -> controlCharacters(escape),
        () -> importRetarget(victim),
        this::csvFormula,
        this::forgedActor,
        this::idleOpsSockets)) {
      together.add(CompletableFuture.supplyAsync(() -> guarded(attack), pool));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (var f : together) {
      outcomes.add(f.get(10, TimeUnit.MINUTES));
    }
    // alone, so the database's growth is its own (the good host still reports)
    outcomes.add(guarded(() -> oversizedReports(fat)));
    // these enroll, so they go one after another, the brute force last
    outcomes.add(guarded(() -> takeover(victim, "", "empty hardware UUID")));
    outcomes.add(guarded(() -> takeover(victim, "UUID-ATTACKER", "another hardware UUID")));
    outcomes.add(guarded(() -> rotatedKeysStream(rotated)));
    outcomes.add(guarded(this::enrollmentBruteForce));
    stop.set(true);
    goodHost.join(15_000);
    pool.shutdownNow();

    int notHeld = 0;
    System.out.printf("%-36s %-9s %s%n", "ATTACK", "RESULT", "SEEN");
    for (Outcome o : outcomes) {
      System.out.printf("%-36s %-9s %s%n", o.attack(), o.held() ? "held" : "NOT HELD", o.seen());
      notHeld += o.held() ? 0 : 1;
    }
    boolean goodOk = goodErrors.isEmpty() && goodStored.get() == goodSent.get();
    System.out.printf(
        "%-36s %-9s %d of %d reports stored, %d refused %s%n",
        "the good host meanwhile",
        goodOk ? "held" : "NOT HELD",
        goodStored.get(),
        goodSent.get(),
        goodErrors.size(),
        goodErrors.isEmpty() ? "" : goodErrors.subList(0, Math.min(3, goodErrors.size())));
    channels.forEach(ManagedChannel::shutdownNow);
    return notHeld == 0 && goodOk ? 0 : 1;
  }

  private static Outcome guarded(Supplier<Outcome> attack) {
    try {
      return attack.get();
    } catch (RuntimeException e) {
      return new Outcome(
          String.valueOf(e.getStackTrace().length > 0 ? e.getStackTrace()[0].getMethodName() : "?"),
          false,
          "the attack itself failed: " + e);
    }
  }

  // --- the attacks
  // -----------------------------------------------------------------------------------------

  private Outcome sshAtFile() {
    String[] out = ssh("hosts @" + data.resolve("tls/ca.key"));
    boolean held = !out[0].equals("0") && !(out[1] + out[2]).contains("PRIVATE KEY");
    String[] audit = ssh("audit --json");
    held &= audit[1].contains("ssh.refused");
    return new Outcome(
        "ssh @file reads the CA key",
        held,
        "exit " + out[0] + ", " + firstLine(out[2]) + "; audited: "
            + audit[1].contains("ssh.refused"));
  }

  private Outcome takeover(AgentState victim, String uuid, String how) {
    try {
      Enroller.enroll(
          new AgentState(work.resolve("takeover-" + uuid.length())),
          target,
          bundle(),
          false,
          "mac-victim",
          uuid,
          "abuse");
      return new Outcome("name takeover, " + how, false, "enrolled as mac-victim");
    } catch (java.io.IOException e) {
      Status.Code still =
          code(() -> stub(key(victim)).report(report(id(victim), 1, snapshot("mac-victim"))));
      String why = firstLine(e.getMessage()).replaceAll(".*failed: ", "").replaceAll(";.*", "");
      return new Outcome(
          "name takeover, " + how,
          still == Status.Code.OK,
          "refused (" + why + "); the genuine key " + "still reports: " + still);
    }
  }

  private Outcome unstorableReports(AgentState noisy) {
    HostSnapshot base = snapshot("mac-noisy");
    HostSnapshot longExtra = base.toBuilder()
        .setIdentity(base.getIdentity().toBuilder().setOsExtra("x".repeat(500)))
        .build();
    HostSnapshot farFuture = base.toBuilder()
        .setCollectedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE - 1))
        .build();
    var s = stub(key(noisy));
    int invalid = 0;
    for (int i = 1; i <= 300; i++) {
      if (code(stubCall(s, report(id(noisy), i, i % 2 == 0 ? longExtra : farFuture)))
          == Status.Code.INVALID_ARGUMENT) {
        invalid++;
      }
    }
    return new Outcome(
        "unstorable reports (300)", invalid == 300, invalid + " of 300 refused as malformed");
  }

  private Outcome seqFarAhead(AgentState jumper) {
    var s = stub(key(jumper));
    String host = id(jumper);
    s.report(report(host, 1, snapshot("mac-jumper")));
    ReportAck ahead = s.report(report(host, 999_999, snapshot("mac-jumper")));
    ReportAck next = s.report(report(host, 2, snapshot("mac-jumper")));
    boolean held = ahead.getOutcome() == ReportAck.Outcome.OUT_OF_SEQUENCE
        && ahead.getHeldSeq() == 1
        && next.getOutcome() == ReportAck.Outcome.STORED;
    return new Outcome(
        "seq 999999 freezes the host",
        held,
        "seq 999999: " + ahead.getOutcome() + " (held " + ahead.getHeldSeq()
            + "); next genuine seq 2: " + next.getOutcome());
  }

  private Outcome oversizedReports(AgentState fat) {
    HostSnapshot.Builder big = snapshot("mac-fat").toBuilder();
    for (int i = 0; i < 1990; i++) {
      big.getOllamaBuilder()
          .addModels(ModelInfo.newBuilder()
              .setName("registry.example.com/team/model-" + i + ":latest")
              .setDigest(String.format("%064x", i))
              .setFormat("gguf")
              .setFamily("qwen3")
              .setQuantization("Q4_K_M"));
    }
    HostSnapshot huge = big.build();
    double before = fileSize();
    var s = stub(key(fat));
    int refused = 0;
    for (int i = 1; i <= 98; i++) {
      if (code(stubCall(s, report(id(fat), i, huge))) == Status.Code.INVALID_ARGUMENT) {
        refused++;
      }
    }
    long bytes = (long) huge.getSerializedSize() * 98;
    double grown = fileSize() - before;
    return new Outcome(
        "98 reports of " + huge.getSerializedSize() / 1024 + " KB",
        refused == 98 && grown < bytes / 10,
        refused + " of 98 refused; database grew " + String.format("%.1f", grown / 1e6)
            + " MB (they were " + Math.round(bytes / 1e6) + " MB; the good host kept reporting)");
  }

  private Outcome reportFlood(AgentState flood) {
    var s = stub(key(flood));
    int stored = 0;
    int slowed = 0;
    long t0 = System.nanoTime();
    for (int i = 1; i <= 3000; i++) {
      Status.Code c = code(stubCall(s, report(id(flood), i, snapshot("mac-flood"))));
      stored += c == Status.Code.OK ? 1 : 0;
      slowed += c == Status.Code.RESOURCE_EXHAUSTED ? 1 : 0;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    boolean held = slowed > 0 && stored <= 1000 + 10 * seconds + 1;
    return new Outcome(
        "report flood (3000 at once)",
        held,
        String.format("%d stored, %d told to slow down in %.1f s", stored, slowed, seconds));
  }

  private Outcome extraStreams(AgentState streams) {
    var stub =
        AgentServiceGrpc.newStub(channel()).withCallCredentials(GrpcAgents.nodeKey(key(streams)));
    List<CompletableFuture<Status.Code>> ends = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<Status.Code> end = new CompletableFuture<>();
      var out = stub.connect(watcher(end, null));
      out.onNext(AgentMessage.newBuilder()
          .setPong(io.macfleet.proto.v1.Pong.getDefaultInstance())
          .build());
      ends.add(end);
    }
    sleep(2000);
    long refused = ends.stream()
        .filter(e -> e.isDone() && e.join() == Status.Code.RESOURCE_EXHAUSTED)
        .count();
    return new Outcome(
        "4 streams for one host",
        refused == 2,
        refused + " of 4 refused (2 allowed: one and a " + "reconnect)");
  }

  private Outcome rotatedKeysStream(AgentState rotated) {
    String oldKey = key(rotated);
    CompletableFuture<Status.Code> end = new CompletableFuture<>();
    AtomicInteger heard = new AtomicInteger();
    var out = AgentServiceGrpc.newStub(channel())
        .withCallCredentials(GrpcAgents.nodeKey(oldKey))
        .connect(watcher(end, heard));
    out.onNext(AgentMessage.newBuilder()
        .setHello(AgentHello.newBuilder().setHostId(id(rotated)))
        .build());
    waitFor(() -> heard.get() > 0, 10_000);
    try {
      Enroller.enroll(rotated, target, bundle(), false, "mac-rotated", "UUID-ROTATED", "abuse");
    } catch (java.io.IOException e) {
      return new Outcome(
          "a rotated key's stream", false, "re-enrollment failed: " + e.getMessage());
    }
    waitFor(end::isDone, 10_000);
    return new Outcome(
        "a rotated key's stream",
        end.isDone() && end.join() == Status.Code.UNAUTHENTICATED,
        "the old key's stream " + (end.isDone() ? "ended: " + end.join() : "is still open"));
  }

  private Outcome controlCharacters(AgentState escape) {
    HostSnapshot s = snapshot("mac-escape").toBuilder()
        .setOllama(OllamaInventory.newBuilder()
            .setState(OllamaState.OLLAMA_UP)
            .setVersion("0.32.15")
            .addModels(ModelInfo.newBuilder()
                .setName("qwen3:8b\u001b[2K\u001b[1A")
                .setDigest("a".repeat(64))))
        .build();
    StatusRuntimeException e = failure(stubCall(stub(key(escape)), report(id(escape), 1, s)));
    boolean held = e != null && e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
    return new Outcome(
        "ESC in a model name",
        held,
        e == null ? "stored" : e.getStatus().getCode() + ": " + e.getStatus().getDescription());
  }

  private Outcome importRetarget(AgentState victim) {
    Path f = work.resolve("retarget.ndjson");
    write(
        f,
        "{\"kind\":\"host\",\"host\":\"mac-victim\",\"role\":\"control\",\"labels\":{\"ollama.bin\":\"/bin/sh\","
            + "\"ssh.user\":\"root\"}}");
    String[] r = cli("import", f.toString());
    String host = cli("host", "mac-victim", "--json")[1];
    boolean held = r[0].equals("0")
        && !host.contains("/bin/sh")
        && !host.contains("\"root\"")
        && cli("audit", "--json")[1].contains("kept ollama.bin");
    return new Outcome(
        "import sets ollama.bin=/bin/sh",
        held,
        held ? "labels kept; the audit entry says so" : "host now: " + firstLine(host));
  }

  private Outcome csvFormula() {
    Path f = work.resolve("formula.ndjson");
    write(
        f,
        "{\"kind\":\"host\",\"host\":\"lab-csv\",\"role\":\"fleet\",\"labels\":{}}",
        "{\"kind\":\"run\",\"run\":\"r-csv\",\"host\":\"lab-csv\",\"started_at\":\"2026-11-01T00:00:00Z\",\"ended_at\":"
            + "\"2026-11-01T00:04:00Z\",\"model\":\"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\",\"digest\":\""
            + "a".repeat(64) + "\",\"purpose\":\"scheduled\",\"baseline\":false}");
    String[] r = cli("import", f.toString());
    String csv = cli("runs", "--csv", "--limit", "1000")[1];
    boolean held =
        r[0].equals("0") && csv.contains("\"'=HYPERLINK(") && !csv.contains(",=HYPERLINK");
    return new Outcome(
        "formula in runs --csv", held, held ? "written as '=HYPERLINK(…), quoted" : firstLine(csv));
  }

  private Outcome forgedActor() {
    Metadata md = new Metadata();
    md.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + read(data.resolve("admin-token")));
    md.put(
        Metadata.Key.of("x-macfleet-actor", Metadata.ASCII_STRING_MARSHALLER),
        "ssh:root@prod (SHA256:trusted)");
    AdminServiceGrpc.newBlockingStub(channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .setLabels(SetLabelsRequest.newBuilder()
            .setName("mac-good")
            .putSet("forged", "yes")
            .build());
    String audit = cli("audit", "--json", "--host", "mac-good")[1];
    boolean held = audit.contains("admin-token from")
        && audit.contains("unverified")
        && !audit.contains("\"actor\":\"ssh:root@prod");
    return new Outcome(
        "a client names its own actor",
        held,
        held ? "audited as the admin token and its address" : firstLine(audit));
  }

  private Outcome idleOpsSockets() {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket s = new Socket("127.0.0.1", opsPort);
        s.getOutputStream()
            .write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        idle.add(s);
      }
      long t0 = System.nanoTime();
      HttpResponse<String> r = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/healthz"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Outcome(
          "20 idle sockets on the ops port",
          r.statusCode() == 200,
          "/healthz answered " + r.statusCode() + " in " + ms + " ms");
    } catch (Exception e) {
      return new Outcome("20 idle sockets on the ops port", false, "/healthz did not answer: " + e);
    } finally {
      idle.forEach(s -> {
        try {
          s.close();
        } catch (java.io.IOException ignored) {
          // closing anyway
        }
      });
    }
  }

  private Outcome enrollmentBruteForce() {
    var s = AgentServiceGrpc.newBlockingStub(channel());
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      String guess = "mfe_guess-" + i;
      Status.Code c = code(() -> s.withDeadlineAfter(10, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder()
              .setEnrollmentSecret(guess)
              .setHostname("mac-x")
              .build()));
      limited += c == Status.Code.RESOURCE_EXHAUSTED ? 1 : 0;
    }
    double counted = metric("macfleet_auth_failures_total{endpoint=\"enroll\"}");
    return new Outcome(
        "30 guesses of the enrollment secret",
        limited >= 15 && counted >= 30,
        limited + " of 30 refused unheard (rate limit); " + (long) counted
            + " refused enrollments counted");
  }

  // --- plumbing
  // ----------------------------------------------------------------------------------------------

  private AgentState enroll(String dir, String name, String uuid) throws java.io.IOException {
    AgentState s = new AgentState(work.resolve(dir));
    Enroller.enroll(s, target, bundle(), false, name, uuid, "abuse");
    return s;
  }

  private EnrollmentBundle bundle() throws java.io.IOException {
    return EnrollmentBundle.read(data.resolve("agent-bundle.json"), null);
  }

  private synchronized ManagedChannel channel() {
    try {
      ManagedChannel c = GrpcAgents.open(target, caPem);
      channels.add(c);
      return c;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private AgentServiceGrpc.AgentServiceBlockingStub stub(String nodeKey) {
    return AgentServiceGrpc.newBlockingStub(channel())
        .withCallCredentials(GrpcAgents.nodeKey(nodeKey));
  }

  private static Runnable stubCall(AgentServiceGrpc.AgentServiceBlockingStub s, ReportRequest r) {
    return () -> s.withDeadlineAfter(10, TimeUnit.SECONDS).report(r);
  }

  private static String key(AgentState s) {
    try {
      return s.nodeKey();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String id(AgentState s) {
    try {
      return s.enrollment().hostId;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Status.Code code(Runnable call) {
    StatusRuntimeException e = failure(call);
    return e == null ? Status.Code.OK : e.getStatus().getCode();
  }

  private static StatusRuntimeException failure(Runnable call) {
    try {
      call.run();
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  private static StreamObserver<ControllerMessage> watcher(
      CompletableFuture<Status.Code> end, AtomicInteger heard) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage m) {
        if (heard != null) {
          heard.incrementAndGet();
        }
      }

      @Override
      public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t).getCode());
      }

      @Override
      public void onCompleted() {
        end.complete(Status.Code.OK);
      }
    };
  }

  static HostSnapshot snapshot(String hostname) {
    return HostSnapshot.newBuilder()
        .setIdentity(HostIdentity.newBuilder()
            .setHostname(hostname)
            .setOsName("macOS")
            .setOsVersion("26.3.1")
            .setOsBuild("25D771280a")
            .setChipGeneration("M4")
            .setMemoryBytes(64L << 30))
        .setOllama(
            OllamaInventory.newBuilder().setState(OllamaState.OLLAMA_UP).setVersion("0.32.15"))
        .setCollectedAt(
            com.google.protobuf.Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()))
        .setReportIntervalSeconds(15)
        .setAgentVersion("abuse")
        .build();
  }

  private static ReportRequest report(String hostId, long seq, HostSnapshot s) {
    return ReportRequest.newBuilder()
        .setHostId(hostId)
        .setSeq(seq)
        .setSnapshot(s)
        .build();
  }

  /** The CLI in this process, as an operator would run it: exit code, out, err. */
  private String[] cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--controller", target, "--data-dir", data.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        MacfleetMain.run(new PrintWriter(out), new PrintWriter(err), all.toArray(new String[0]));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  /** One command over the admin SSH endpoint: exit code, out, err. */
  private String[] ssh(String command) {
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(
        (session, addr, serverKey) -> true); // our own controller on loopback
    client.start();
    try (ClientSession s = client
        .connect("admin", "127.0.0.1", sshPort)
        .verify(Duration.ofSeconds(10))
        .getSession()) {
      s.addPublicKeyIdentity(sshKey);
      s.auth().verify(Duration.ofSeconds(10));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ChannelExec ch = s.createExecChannel(command)) {
        ch.setOut(out);
        ch.setErr(err);
        ch.open().verify(Duration.ofSeconds(10));
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(60));
        return new String[] {
          String.valueOf(ch.getExitStatus()),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8)
        };
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      client.stop();
    }
  }

  private double metric(String series) {
    try {
      String text = HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
      var m = java.util.regex.Pattern.compile(
              "(?m)^" + java.util.regex.Pattern.quote(series) + " (\\S+)$")
          .matcher(text);
      return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (java.io.IOException | InterruptedException e) {
      return Double.NaN;
    }
  }

  /** The embedded database's file, read directly: the size metric is read at most every 30 s. */
  private double fileSize() {
    try {
      return Files.size(data.resolve("macfleet.mv.db"));
    } catch (java.io.IOException e) {
      return Double.NaN;
    }
  }

  private static void write(Path f, String... lines) {
    try {
      Files.write(f, List.of(lines));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String firstLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done, long ms) {
    long end = System.currentTimeMillis() + ms;
    while (!done.getAsBoolean() && System.currentTimeMillis() < end) {
      sleep(50);
    }
  }
}
