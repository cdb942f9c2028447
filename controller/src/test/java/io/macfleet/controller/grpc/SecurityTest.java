package io.macfleet.controller.grpc;

import static io.macfleet.controller.TestController.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.LinkErrors;
import io.macfleet.agent.link.h2.CallException;
import io.macfleet.agent.link.h2.CallStatus;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.controller.AgentChannels;
import io.macfleet.controller.ControllerConfig;
import io.macfleet.controller.ControllerServer;
import io.macfleet.controller.TestController;
import io.macfleet.controller.security.DataDirectory;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.ReportAck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment, node keys, admin token and TLS over real gRPC on loopback. */
class SecurityTest {
  @TempDir
  Path tmp;

  @Test
  void secretsAreOwnerOnlyAndNeverLeakIntoTheBundleMode() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      for (Path p : new Path[] {
        DataDirectory.adminToken(c.dataDir),
        DataDirectory.enrollmentSecret(c.dataDir),
        DataDirectory.agentBundle(c.dataDir),
        DataDirectory.tlsDir(c.dataDir).resolve("ca.key"),
        DataDirectory.tlsDir(c.dataDir).resolve("server.key")
      }) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .as(p.toString())
            .isEqualTo("rw-------");
      }
      AgentState a = c.enroll(tmp.resolve("agent"), "mac-a", "UUID-A");
      assertThat(PosixFilePermissions.toString(
              Files.getPosixFilePermissions(a.dir().resolve("node.key"))))
          .isEqualTo("rw-------");
      // the controller keeps only a hash of the node key
      String key = a.nodeKey();
      try (var walk = Files.walk(c.dataDir)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          assertThat(
                  new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
              .as(f.toString())
              .doesNotContain(key);
        }
      }
    }
  }

  @Test
  void wrongEnrollmentSecretIsRefused() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      var stub = c.agentStub(null);
      assertThat(code(() -> stub.enroll(EnrollRequest.newBuilder()
              .setEnrollmentSecret("mfe_wrong")
              .setHostname("mac-x")
              .build())))
          .isEqualTo(Status.Code.PERMISSION_DENIED);
    }
  }

  @Test
  void nodeKeysAuthenticateOnlyTheirOwnHost() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      AgentState b = c.enroll(tmp.resolve("b"), "mac-b", "UUID-B");
      String hostA = a.enrollment().hostId;
      String hostB = b.enrollment().hostId;
      var asA = c.agentStub(a.nodeKey());
      ReportAck ack = asA.report(
          TestController.report(hostA, 1, TestController.snapshot("mac-a", "0.32.15", "M4")));
      assertThat(ack.getOutcome()).isEqualTo(ReportAck.Outcome.STORED);
      // A's key, B's host id: refused
      assertThat(code(() -> asA.report(
              TestController.report(hostB, 1, TestController.snapshot("mac-b", "0.32.15", "M4")))))
          .isEqualTo(Status.Code.PERMISSION_DENIED);
      // no key, a made-up key
      assertThat(code(() -> c.agentStub(null)
              .report(TestController.report(
                  hostA, 2, TestController.snapshot("mac-a", "0.32.15", "M4")))))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(code(() -> c.agentStub("mfn_" + "x".repeat(43))
              .report(TestController.report(
                  hostA, 2, TestController.snapshot("mac-a", "0.32.15", "M4")))))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(c.server().authFailures()).isEqualTo(2);
    }
  }

  @Test
  void aRevokedHostIsRefusedAndCannotReEnrollUnderItsName() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      String host = a.enrollment().hostId;
      var stub = c.agentStub(a.nodeKey());
      stub.report(
          TestController.report(host, 1, TestController.snapshot("mac-a", "0.32.15", "M4")));
      assertThat(c.cli("hosts", "revoke", "mac-a").code()).isZero();
      assertThat(code(() -> stub.report(
              TestController.report(host, 2, TestController.snapshot("mac-a", "0.32.15", "M4")))))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThatThrownBy(() -> c.enroll(tmp.resolve("a2"), "mac-a", "UUID-A"))
          .hasMessageContaining("revoked");
    }
  }

  @Test
  void reEnrollingRotatesTheKeyAndAnotherMachineCannotTakeTheName() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState first = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      String oldKey = first.nodeKey();
      AgentState again = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      assertThat(again.nodeKey()).isNotEqualTo(oldKey);
      assertThat(again.enrollment().hostId).isEqualTo(first.enrollment().hostId);
      String host = again.enrollment().hostId;
      assertThat(code(() -> c.agentStub(oldKey)
              .report(TestController.report(host, 1, TestController.snapshot("mac-a", "1", "M4")))))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThatThrownBy(() -> c.enroll(tmp.resolve("evil"), "mac-a", "UUID-EVIL"))
          .hasMessageContaining("a different hardware UUID");
    }
  }

  /**
   * The attack: every Mac holds the enrollment secret, and an enrollment with an empty hardware UUID used to re-key
   * any existing name. It is refused, and the genuine host's key keeps working.
   */
  @Test
  void anEnrollmentWithoutAHardwareUuidCannotTakeOverAnExistingName() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState genuine = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      String host = genuine.enrollment().hostId;
      assertThatThrownBy(() -> c.enroll(tmp.resolve("evil"), "mac-a", ""))
          .hasMessageContaining("no hardware UUID")
          .hasMessageContaining("macfleet hosts approve mac-a");
      String key = genuine.nodeKey();
      assertThat(code(() -> c.agentStub(key)
              .report(TestController.report(host, 1, TestController.snapshot("mac-a", "1", "M4")))))
          .isEqualTo(Status.Code.OK);
      // a new name without a UUID still enrolls (a Linux host without DMI data, say): nothing to
      // take over
      assertThat(c.enroll(tmp.resolve("b"), "mac-b", "").enrollment().hostId).isNotEqualTo(host);
    }
  }

  /**
   * A re-key needs proof: the same UUID, the host's current node key, or an admin's approval (once, in its time).
   * Refused enrollments are counted in the auth-failure metric, and a peer that keeps being refused is slowed down
   * before the secret is even compared.
   */
  @Test
  void aReKeyIsProvenByTheCurrentKeyOrAnAdminsApprovalAndRefusalsAreCountedAndLimited()
      throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState genuine = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      String host = genuine.enrollment().hostId;
      // the same agent state re-enrolling with a new logic board's UUID: its current key proves it
      // is mac-a
      AgentState again = c.enroll(tmp.resolve("a"), "mac-a", "UUID-NEW-BOARD");
      assertThat(again.enrollment().hostId).isEqualTo(host);
      // another machine with a different UUID and no key: refused until an admin approves, then
      // once only
      assertThatThrownBy(() -> c.enroll(tmp.resolve("replacement"), "mac-a", "UUID-REPLACEMENT"))
          .hasMessageContaining("does not prove it is the same machine");
      var approved = c.cli("hosts", "approve", "mac-a", "--valid", "10m");
      assertThat(approved.code()).as(approved.err()).isZero();
      assertThat(approved.out()).contains("within 10 min");
      String againKey = again.nodeKey();
      AgentState replacement = c.enroll(tmp.resolve("replacement"), "mac-a", "UUID-REPLACEMENT");
      assertThat(replacement.enrollment().hostId).isEqualTo(host);
      assertThat(code(() -> c.agentStub(againKey)
              .report(TestController.report(host, 1, TestController.snapshot("mac-a", "1", "M4")))))
          .as("the old key")
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThatThrownBy(() -> c.enroll(tmp.resolve("third"), "mac-a", "UUID-THIRD"))
          .as("an approval is used once")
          .hasMessageContaining("does not prove");
      assertThat(c.cli("audit", "--json").out()).contains("hosts.approve");

      long before = Long.parseLong(metric(c, "macfleet_auth_failures_total{endpoint=\"enroll\"}"));
      var stub = c.agentStub(null);
      int limited = 0;
      for (int i = 0; i < 20; i++) {
        try {
          stub.enroll(io.macfleet.proto.v1.EnrollRequest.newBuilder()
              .setEnrollmentSecret("mfe_guess-" + i)
              .setHostname("mac-x")
              .build());
        } catch (io.grpc.StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            limited++;
          } else {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          }
        }
      }
      // 10 refusals at once from one address (2 were spent above), then every try is refused
      // unheard
      assertThat(limited).isGreaterThanOrEqualTo(10);
      assertThat(Long.parseLong(metric(c, "macfleet_auth_failures_total{endpoint=\"enroll\"}"))
              - before)
          .isEqualTo(20);
      // even the right secret waits now: a guess that happens to be right teaches nothing
      assertThatThrownBy(() -> c.enroll(tmp.resolve("late"), "mac-late", "UUID-LATE"))
          .hasMessageContaining("too many refused enrollments");
    }
  }

  private static String metric(TestController c, String series) throws Exception {
    String text = HostLimitsTest.scrape(c);
    var m = java.util.regex.Pattern.compile(
            "(?m)^" + java.util.regex.Pattern.quote(series) + " (\\S+)$")
        .matcher(text);
    assertThat(m.find()).as(series).isTrue();
    return m.group(1).replaceAll("\\.0$", "");
  }

  /** The audit log names what the credential proves, never what the client says it is. */
  @Test
  void theAuditActorComesFromTheCredentialNotTheClient() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      var forged = new io.grpc.Metadata();
      forged.put(
          io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
          "Bearer "
              + Files.readString(
                      io.macfleet.controller.security.DataDirectory.adminToken(c.dataDir))
                  .strip());
      forged.put(
          io.grpc.Metadata.Key.of("x-macfleet-actor", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
          "ssh:root@prod (SHA256:trusted)");
      var channel = AgentChannels.open(c.target(), c.caPem());
      try {
        io.macfleet.proto.v1.AdminServiceGrpc.newBlockingStub(channel)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(forged))
            .setLabels(io.macfleet.proto.v1.SetLabelsRequest.newBuilder()
                .setName("mac-a")
                .putSet("team", "ml")
                .build());
      } finally {
        channel.shutdownNow();
      }
      var entries = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(c.cli("audit", "--json").out());
      String actor = entries.get(0).path("actor").asText();
      assertThat(actor)
          .startsWith("admin-token from /127.0.0.1:")
          .endsWith("(says ssh:root@prod (SHA256:trusted), unverified)");
      assertThat(TestController.cliRaw("hosts", "--actor", "ssh:root", "--controller", c.target())
              .code())
          .as("--actor is gone")
          .isEqualTo(2);
    }
  }

  @Test
  void adminCallsNeedTheAdminToken() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      Path wrong = tmp.resolve("wrong-token");
      Files.writeString(wrong, "mfa_not-the-token");
      Files.setPosixFilePermissions(
          wrong, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      var r = TestController.cliRaw(
          "hosts",
          "--controller",
          c.target(),
          "--data-dir",
          c.dataDir.toString(),
          "--token-file",
          wrong.toString());
      assertThat(r.code()).isEqualTo(4);
      assertThat(r.err()).contains("admin token");
      // a node key is not an admin token
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      Files.writeString(wrong, a.nodeKey());
      assertThat(TestController.cliRaw(
                  "hosts",
                  "--controller",
                  c.target(),
                  "--data-dir",
                  c.dataDir.toString(),
                  "--token-file",
                  wrong.toString())
              .code())
          .isEqualTo(4);
    }
  }

  /**
   * The attack: a stream opened with a node key that re-enrollment then rotated kept receiving replays, and a result
   * forged on it was accepted. The stream ends at the re-key, and a credential that is no longer current counts for
   * nothing on any stream.
   */
  @Test
  void aRotatedKeysStreamEndsAtTheReKeyAndItsCredentialNoLongerCounts() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState first = c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      var ch = AgentChannels.open(c.target(), c.caPem());
      java.util.concurrent.CompletableFuture<Throwable> ended =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CountDownLatch greeted = new java.util.concurrent.CountDownLatch(1);
      try {
        var toController = AgentServiceGrpc.newStub(ch)
            .withCallCredentials(AgentChannels.nodeKey(first.nodeKey()))
            .connect(new io.grpc.stub.StreamObserver<io.macfleet.proto.v1.ControllerMessage>() {
              @Override
              public void onNext(io.macfleet.proto.v1.ControllerMessage m) {
                if (m.hasHello()) {
                  greeted.countDown();
                }
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                ended.complete(null);
              }
            });
        toController.onNext(io.macfleet.proto.v1.AgentMessage.newBuilder()
            .setHello(
                io.macfleet.proto.v1.AgentHello.newBuilder().setHostId(first.enrollment().hostId))
            .build());
        assertThat(greeted.await(10, TimeUnit.SECONDS)).isTrue();
        String hostId = first.enrollment().hostId;
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> c.server().sessions().connected(hostId));

        c.enroll(tmp.resolve("a"), "mac-a", "UUID-A"); // re-enrolled: a new key
        Throwable why = ended.get(10, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(why).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Status.fromThrowable(why).getDescription()).contains("re-enrolled");
        assertThat(c.server().sessions().connected(hostId)).isFalse();
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aCredentialIsCurrentOnlyUntilItsHostIsReKeyedOrRevoked() {
    var keys = new io.macfleet.controller.fleet.NodeKeyAuthenticator(null);
    var epoch1 = new io.macfleet.controller.store.HostCredential("h1", "mac-a", 1, false);
    keys.remember("hash1", epoch1);
    assertThat(keys.isCurrent(epoch1)).isTrue();
    keys.invalidate("h1");
    var epoch2 = new io.macfleet.controller.store.HostCredential("h1", "mac-a", 2, false);
    keys.remember("hash2", epoch2);
    assertThat(keys.isCurrent(epoch1)).as("the old enrollment's credential").isFalse();
    assertThat(keys.isCurrent(epoch2)).isTrue();
    keys.reconcile(
        java.util.List.of(new io.macfleet.controller.store.HostCredential("h1", "mac-a", 2, true)));
    assertThat(keys.isCurrent(epoch2)).as("after a revocation elsewhere").isFalse();
  }

  /** Small things a security review flags, each made as the careless operator would. */
  @Test
  void theDataDirectoryIsOwnerOnlyAndLooseTokensAndPlaintextOffLoopbackAreRefused()
      throws Exception {
    Path data = tmp.resolve("fresh").resolve("ctl");
    try (TestController c = new TestController(data)) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(io.macfleet.controller.store.Database.h2File(data))))
          .isEqualTo("rw-------");

      // a token file others can read is refused, the way ssh refuses such a key
      Path loose = tmp.resolve("loose-token");
      Files.copy(data.resolve("admin-token"), loose);
      Files.setPosixFilePermissions(
          loose, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      var r = TestController.cliRaw(
          "hosts",
          "--controller",
          c.target(),
          "--data-dir",
          data.toString(),
          "--token-file",
          loose.toString());
      assertThat(r.code()).isEqualTo(4);
      assertThat(r.err()).contains("is readable by others", "chmod 600");

      // plaintext to a controller elsewhere would send the admin token, a node key and reports in
      // the clear
      var insecure = TestController.cliRaw(
          "hosts",
          "--insecure",
          "--controller",
          "controller.example.org:7443",
          "--data-dir",
          data.toString());
      assertThat(insecure.code()).isEqualTo(2);
      assertThat(insecure.err()).contains("--insecure", "only for a controller on this machine");
      assertThatThrownBy(() -> ControllerLink.open("10.1.2.3:7443", null, true))
          .hasMessageContaining("only for a controller on this machine");
      ControllerLink.open("127.0.0.1:7443", null, true).close(); // loopback stays allowed
    }
  }

  @Test
  void tlsPinsTheControllersCa() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"));
        TestController other = new TestController(tmp.resolve("other"))) {
      // the agent's own link, trusting another controller's CA, fails the handshake and says why
      try (var link = ControllerLink.open(c.target(), other.caPem(), false)) {
        assertThatThrownBy(() -> new AgentCalls(link, null)
                .enroll(EnrollRequest.getDefaultInstance(), java.time.Duration.ofSeconds(5)))
            .isInstanceOfSatisfying(CallException.class, e -> {
              assertThat(e.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
              assertThat(LinkErrors.describe(e)).contains("not signed by the CA this agent pinned");
            });
      }
      // a plaintext client cannot talk to the TLS port
      try (var plain = ControllerLink.open(c.target(), null, true)) {
        assertThatThrownBy(() -> new AgentCalls(plain, null)
                .enroll(EnrollRequest.getDefaultInstance(), java.time.Duration.ofSeconds(5)))
            .isInstanceOfSatisfying(
                CallException.class,
                e -> assertThat(e.code())
                    .isIn(CallStatus.Code.UNAVAILABLE, CallStatus.Code.DEADLINE_EXCEEDED));
      }
      // grpc-java's client, pinned to the other CA, fails the same way
      var ch = AgentChannels.open(c.target(), other.caPem());
      try {
        assertThat(code(() -> AgentServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .enroll(EnrollRequest.getDefaultInstance())))
            .isEqualTo(Status.Code.UNAVAILABLE);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  /**
   * The attack: a server holding a certificate from the pinned CA, but issued for another name, answers at the
   * controller's address. The agent checks the name as well as the CA, so it does not talk to it.
   */
  @Test
  void theAgentChecksTheControllersNameNotOnlyItsCa() throws Exception {
    var tls = io.macfleet.controller.security.CertificateAuthority.ensure(
        tmp.resolve("other-name-tls"), java.util.List.of("ctl.example.invalid"));
    io.grpc.Server impostor = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
            new java.net.InetSocketAddress("127.0.0.1", 0),
            io.grpc.TlsServerCredentials.create(
                tls.certChain().toFile(), tls.privateKey().toFile()))
        .addService(new AgentServiceGrpc.AgentServiceImplBase() {})
        .build()
        .start();
    try (var link = ControllerLink.open(
        "127.0.0.1:" + impostor.getPort(), java.nio.file.Files.readString(tls.caCert()), false)) {
      assertThatThrownBy(() -> new AgentCalls(link, "key")
              .report(
                  io.macfleet.proto.v1.ReportRequest.getDefaultInstance(),
                  java.time.Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.code()).isEqualTo(CallStatus.Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("127.0.0.1");
            assertThat(e).hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
          });
    } finally {
      impostor.shutdownNow();
    }
  }

  @Test
  void plaintextIsRefusedOffLoopback() {
    assertThatThrownBy(() -> ControllerServer.start(
            ControllerConfig.defaults(tmp).withListen("0.0.0.0", 0).withInsecure(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void plaintextOnLoopbackWorksWhenAskedFor() throws Exception {
    try (ControllerServer s = ControllerServer.start(
        ControllerConfig.defaults(tmp).withListen("127.0.0.1", 0).withInsecure(true))) {
      var r = TestController.cliRaw(
          "hosts",
          "--insecure",
          "--controller",
          "127.0.0.1:" + s.port(),
          "--data-dir",
          tmp.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("no hosts enrolled yet");
    }
  }
}
