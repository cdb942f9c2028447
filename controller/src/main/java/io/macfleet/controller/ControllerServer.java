package io.macfleet.controller;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.macfleet.controller.fleet.AuditLog;
import io.macfleet.controller.fleet.CredentialWatch;
import io.macfleet.controller.fleet.EnrollmentService;
import io.macfleet.controller.fleet.FleetService;
import io.macfleet.controller.fleet.HostFlags;
import io.macfleet.controller.fleet.IngestQueue;
import io.macfleet.controller.fleet.NodeKeyAuthenticator;
import io.macfleet.controller.fleet.ReportLimits;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.fleet.StreamDirectory;
import io.macfleet.controller.grpc.AdminService;
import io.macfleet.controller.grpc.AgentGrpcService;
import io.macfleet.controller.grpc.AgentSessions;
import io.macfleet.controller.grpc.AuthInterceptor;
import io.macfleet.controller.grpc.NetworkThreads;
import io.macfleet.controller.ops.ControllerMetrics;
import io.macfleet.controller.ops.OpsHttpServer;
import io.macfleet.controller.schedule.ScheduleService;
import io.macfleet.controller.security.CertificateAuthority;
import io.macfleet.controller.security.ControllerSecrets;
import io.macfleet.controller.security.DataDirectory;
import io.macfleet.controller.ssh.AdminSshServer;
import io.macfleet.controller.ssh.RollbackLadder;
import io.macfleet.controller.ssh.SshService;
import io.macfleet.controller.store.AuditRepository;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.DatabaseSize;
import io.macfleet.controller.store.DatabaseUrl;
import io.macfleet.controller.store.EventRepository;
import io.macfleet.controller.store.H2Maintenance;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.InterchangeRepository;
import io.macfleet.controller.store.ReportRepository;
import io.macfleet.controller.store.Retention;
import io.macfleet.controller.store.RollbackRepository;
import io.macfleet.controller.store.RunRepository;
import io.macfleet.controller.store.SessionRepository;
import io.macfleet.controller.store.StorageHealth;
import io.macfleet.controller.store.VerdictRepository;
import io.macfleet.controller.verdict.BaselineService;
import io.macfleet.controller.verdict.Thresholds;
import io.macfleet.controller.verdict.VerdictService;
import io.macfleet.proto.v1.AdminServiceGrpc;
import io.macfleet.proto.v1.AgentServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: database, secrets, TLS, and the gRPC server with its services. {@link #start} is the one
 * place the parts are made and wired; everything it opens is closed in reverse order, by {@link #close} or by a
 * start that fails part way.
 */
public final class ControllerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerServer.class);

  private final Resources opened;
  private final Server server;
  private final HealthStatusManager health;
  private final ReportRepository reports;
  private final AuthInterceptor auth;
  private final VerdictService verdicts;
  private final AgentSessions sessions;
  private final AdminSshServer ssh; // null when off
  private final OpsHttpServer ops; // null when off
  private final Retention retention;
  private boolean closed;

  private ControllerServer(
      Resources opened,
      Server server,
      HealthStatusManager health,
      ReportRepository reports,
      AuthInterceptor auth,
      VerdictService verdicts,
      AgentSessions sessions,
      AdminSshServer ssh,
      OpsHttpServer ops,
      Retention retention) {
    this.opened = opened;
    this.server = server;
    this.health = health;
    this.reports = reports;
    this.auth = auth;
    this.verdicts = verdicts;
    this.sessions = sessions;
    this.ssh = ssh;
    this.ops = ops;
    this.retention = retention;
  }

  public static ControllerServer start(ControllerConfig cfg) throws IOException {
    InetAddress bind = InetAddress.getByName(cfg.listenHost());
    if (cfg.insecure() && !bind.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "--insecure (plaintext) is only allowed on a loopback address, not " + cfg.listenHost()
              + "; drop --insecure to serve TLS");
    }
    Resources opened = new Resources();
    try {
      return start(cfg, bind, opened);
    } catch (IOException | RuntimeException | Error e) {
      opened.close();
      throw e;
    }
  }

  /**
   * The ports the controller cannot run without, tried before anything is created: a port in use is named, and no
   * data directory or secret is left behind by a start that could never have listened. Tried by binding a socket
   * that never listens: a listening one would, for that instant, accept a client's connection before the controller
   * (and its agent bundle) exists.
   */
  private static void checkPorts(ControllerConfig cfg, InetAddress bind) throws IOException {
    for (int[] p : new int[][] {{cfg.port(), 0}, {cfg.sshPort(), 1}}) {
      if (p[0] <= 0) {
        continue; // off, or any free port
      }
      try (java.net.Socket s = new java.net.Socket()) {
        s.setReuseAddress(
            true); // a port left in TIME_WAIT by the last run is free; one in LISTEN is not
        s.bind(new InetSocketAddress(bind, p[0]));
      } catch (IOException e) {
        throw new IOException(
            "port " + p[0] + " on " + cfg.listenHost() + " is already in use (another "
                + "controller, or another program); pick another with "
                + (p[1] == 0 ? "--listen HOST:PORT" : "--ssh-port") + " (" + e.getMessage() + ")",
            e);
      }
    }
  }

  private static ControllerServer start(ControllerConfig cfg, InetAddress bind, Resources opened)
      throws IOException {
    checkPorts(cfg, bind);
    DataDirectory.create(cfg.dataDir());
    ServerCredentials creds;
    String caPem = null;
    if (cfg.insecure()) {
      creds = InsecureServerCredentials.create();
    } else {
      List<String> names = new ArrayList<>(CertificateAuthority.defaultNames());
      names.addAll(cfg.tlsNames());
      if (!bind.isAnyLocalAddress()) {
        names.add(cfg.listenHost());
      }
      var tls = CertificateAuthority.ensure(DataDirectory.tlsDir(cfg.dataDir()), names);
      creds =
          TlsServerCredentials.create(tls.certChain().toFile(), tls.privateKey().toFile());
      caPem = CertificateAuthority.caPem(DataDirectory.tlsDir(cfg.dataDir()));
    }
    ControllerSecrets secrets = ControllerSecrets.loadOrCreate(cfg.dataDir(), caPem);
    boolean embedded = cfg.jdbcUrl() == null;
    Database db;
    if (embedded) {
      H2Maintenance.beforeOpen(cfg.dataDir());
      try {
        db = opened.add(Database.open(Database.h2Url(cfg.dataDir()), "", "", 8));
        DataDirectory.ownerOnly(
            Database.h2File(cfg.dataDir())); // H2 creates it with the process's umask
      } catch (RuntimeException e) {
        throw new IOException(
            H2Maintenance.damaged(
                Database.h2File(cfg.dataDir()),
                "cannot be opened (" + StorageHealth.cause(e) + ")"),
            e);
      }
    } else {
      db = opened.add(Database.open(
          cfg.jdbcUrl(),
          DatabaseUrl.user(cfg.dbUser()),
          DatabaseUrl.password(cfg.dbPasswordFile()),
          8));
    }
    Clock clock = Clock.systemUTC();
    StorageHealth storage = new StorageHealth(
        embedded ? Database.h2File(cfg.dataDir()).toString() : cfg.jdbcUrl(), db::reopen, clock);
    if (embedded) {
      opened.add(H2Maintenance.start(db, cfg.dataDir(), Duration.ofSeconds(30)));
    }
    Retention retention =
        opened.add(new Retention(db, cfg.retention(), clock, 500, Duration.ofMillis(20))
            .every(Duration.ofMinutes(1), Duration.ofMinutes(10)));
    HostRepository hosts = new HostRepository(db);
    ReportRepository reports = new ReportRepository(db);
    NodeKeyAuthenticator nodeKeys = new NodeKeyAuthenticator(hosts);
    log.info("{} node key(s) loaded", nodeKeys.preload());
    IngestQueue ingest =
        opened.add(new IngestQueue(reports, storage, 20_000, 500, cfg.commitGap()));
    AgentSessions sessions = opened.add(new AgentSessions());
    RunRepository runRepository = new RunRepository(db);
    AuditLog audit = new AuditLog(new AuditRepository(db), clock);
    ControllerMetrics metrics = opened.add(new ControllerMetrics(version()));
    SshService sshService = new SshService(
        hosts,
        cfg.dataDir().resolve("ssh"),
        audit,
        clock,
        Duration.ofSeconds(8),
        Duration.ofSeconds(10));
    try {
      sshService
          .key(); // made at first start, so deployment tools can fetch ssh/id_ecdsa.pub right away
    } catch (IOException e) {
      log.warn("no SSH key for remote operations yet: {}", e.getMessage());
    }
    RunService runService =
        new RunService(hosts, runRepository, sessions::sendProbe, clock, cfg.runTimeout());
    InterchangeRepository data = new InterchangeRepository(db);
    VerdictRepository verdictRepository = new VerdictRepository(db);
    VerdictService verdicts = opened.add(new VerdictService(
        data, verdictRepository, runRepository, hosts, runService, clock, Thresholds.defaults()));
    opened.add(runService); // its sweeper stops before the verdicts it feeds
    runService.listener(verdicts);
    // several controllers can only share a server database; one on H2 has nobody to route runs
    // through
    if (db.dialect().clustered()) {
      StreamDirectory directory = opened.add(new StreamDirectory(
          new SessionRepository(db),
          cfg.instanceId(),
          clock,
          sessions::sendProbe,
          sessions::requestReport));
      // revocations and re-enrollments made through another controller reach this one's key cache
      // and streams
      opened.add(
          new CredentialWatch(hosts, nodeKeys, sessions::disconnect, clock, Duration.ofSeconds(2)));
      runService.routing(directory);
      sessions.listener(new AgentSessions.Listener() {
        @Override
        public void opened(String hostId) {
          directory.opened(hostId);
        }

        @Override
        public void closed(String hostId) {
          directory.closed(hostId);
        }
      });
    }
    HostFlags flags = opened.add(new HostFlags(hosts, new EventRepository(db), clock));
    metrics.gauge(
        "macfleet.hosts.history.behind",
        "hosts whose stored history is behind their agent's " + "(restored or damaged database)",
        () -> {
          try {
            return hosts.historyBehind();
          } catch (RuntimeException e) {
            return Double.NaN; // the database is failing: /readyz says so
          }
        });
    metrics.gauge(
        "macfleet.hosts.clock.skewed",
        "hosts whose clock is more than a minute off the controller's",
        flags::clockSkewed);
    metrics.gauge(
        "macfleet.database.size.bytes",
        "the database's size on disk (H2: its file; PostgreSQL: " + "pg_database_size)",
        new DatabaseSize(db, embedded ? Database.h2File(cfg.dataDir()) : null));
    runService.outcomes(metrics::run);
    runService.streams(new RunService.Streams() {
      @Override
      public boolean alive(String hostId) {
        return sessions.connected(hostId);
      }

      @Override
      public boolean cancel(String hostId, String runId, String reason) {
        return sessions.cancelProbe(hostId, runId, reason);
      }
    });
    verdicts.clockSkew(flags::skew);
    verdicts.kinds(metrics::verdict);
    ScheduleService schedules;
    try {
      schedules = opened.add(
          new ScheduleService(db.dataSource(), runService, cfg.instanceId(), db.dialect()));
    } catch (org.quartz.SchedulerException e) {
      throw new IOException("could not start the scheduler: " + e.getMessage(), e);
    }
    AuthInterceptor auth = new AuthInterceptor(nodeKeys, secrets);
    EnrollmentService enrollmentService = new EnrollmentService(secrets, hosts, nodeKeys, clock);
    // the old key's streams end at once
    enrollmentService.onRekey(h -> sessions.disconnect(
        h, "this host was re-enrolled; its previous node key no longer " + "works"));
    ReportLimits limits = new ReportLimits(cfg.limits(), System::nanoTime);
    HealthStatusManager health = new HealthStatusManager();
    NetworkThreads network = opened.add(NetworkThreads.perCore());
    Server server;
    try {
      server = network
          .applyTo(NettyServerBuilder.forAddress(new InetSocketAddress(bind, cfg.port()), creds))
          .maxInboundMessageSize(cfg.maxMessageBytes())
          // a fixed window instead of BDP auto-tuning: with thousands of agents each sending a
          // small report now and
          // then, auto-tuning sends a ping after nearly every message (grpc-java #8260), a round
          // trip per report
          .flowControlWindow(NettyServerBuilder.DEFAULT_FLOW_CONTROL_WINDOW)
          .permitKeepAliveTime(20, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .callExecutor(new io.macfleet.controller.grpc.AgentCallExecutor(nodeKeys))
          .addService(ServerInterceptors.intercept(
              new AgentGrpcService(
                      enrollmentService,
                      ingest,
                      sessions,
                      runService,
                      flags,
                      clock,
                      metrics,
                      limits)
                  .definition(),
              auth))
          .addService(ServerInterceptors.intercept(
              AdminService.definition(
                  new FleetService(hosts, new EventRepository(db), nodeKeys, clock),
                  runService,
                  schedules,
                  sessions,
                  clock,
                  data,
                  verdictRepository,
                  new BaselineService(data, hosts),
                  hosts,
                  audit,
                  sshService,
                  new RollbackLadder(
                      sshService,
                      runService,
                      runRepository,
                      verdicts,
                      new RollbackRepository(db),
                      audit,
                      clock,
                      Duration.ofSeconds(30))),
              auth))
          .addService(health.getHealthService())
          .addService(ProtoReflectionServiceV1.newInstance())
          .build()
          .start();
    } catch (IOException e) {
      throw new IOException(
          "could not listen on " + cfg.listenHost() + ":" + cfg.port() + " (" + e.getMessage()
              + "); is another controller running? pick another port with --listen",
          e);
    }
    Server grpc = server;
    opened.onClose(() -> stop(grpc));
    // streams end first, so the server's graceful stop does not wait on agents that would never
    // hang up
    opened.onClose(sessions::close);
    opened.onClose(health::enterTerminalState);
    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "report-limits");
      t.setDaemon(true);
      return t;
    });
    housekeeping.scheduleWithFixedDelay(limits::forgetIdle, 10, 10, TimeUnit.MINUTES);
    opened.onClose(housekeeping::shutdownNow);
    AdminSshServer ssh = null;
    if (cfg.sshPort() >= 0) {
      List<String> self = new ArrayList<>(List.of(
          "--controller",
          "127.0.0.1:" + server.getPort(),
          "--data-dir",
          cfg.dataDir().toString()));
      if (cfg.insecure()) {
        self.add("--insecure");
      }
      try {
        ssh = opened.add(AdminSshServer.start(
            cfg.listenHost(),
            cfg.sshPort(),
            cfg.dataDir().resolve("ssh"),
            self,
            audit,
            secrets.endpointToken(),
            java.util.Objects.requireNonNull(
                cfg.adminCommands(), "the admin SSH endpoint needs the CLI to run its commands")));
      } catch (IOException e) {
        throw new IOException(
            "could not start the admin SSH endpoint on port " + cfg.sshPort() + ": "
                + e.getMessage(),
            e);
      }
    }
    schedules.metrics(metrics);
    metrics.hosts(() -> hostCounts(hosts, clock));
    fleetGauges(metrics, hosts, verdictRepository, clock);
    metrics.authFailures("grpc", auth::failures);
    metrics.authFailures("enroll", enrollmentService::refusals);
    if (ssh != null) {
      AdminSshServer endpoint = ssh;
      metrics.authFailures("ssh", endpoint::authFailures);
    }
    OpsHttpServer ops = null;
    if (cfg.opsPort() >= 0) {
      ScheduleService sched = schedules;
      try {
        ops = opened.add(new OpsHttpServer(
            cfg.listenHost(), cfg.opsPort(), metrics, () -> readiness(db, storage, sched, grpc)));
      } catch (IOException e) {
        log.warn(
            "no /metrics: cannot listen on {}:{} ({}); the controller runs without it",
            cfg.listenHost(),
            cfg.opsPort(),
            e.getMessage());
      }
    }
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(AgentServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(AdminServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    log.info(
        "controller listening on {}:{} ({}), data in {}",
        cfg.listenHost(),
        server.getPort(),
        cfg.insecure() ? "PLAINTEXT, loopback only" : "TLS",
        cfg.dataDir());
    return new ControllerServer(
        opened, server, health, reports, auth, verdicts, sessions, ssh, ops, retention);
  }

  /** Lets calls in flight finish for up to 5 s, then cuts them. */
  private static void stop(Server server) {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  public int port() {
    return server.getPort();
  }

  public ReportRepository reports() {
    return reports;
  }

  /** The operations HTTP port (/metrics, /healthz, /readyz), when serving one. */
  public java.util.Optional<OpsHttpServer> ops() {
    return java.util.Optional.ofNullable(ops);
  }

  /** Hosts by status, for the metrics. */
  /** The fleet's state as gauges, and every counter label at 0 from start (ControllerMetrics). */
  private static void fleetGauges(
      ControllerMetrics metrics, HostRepository hosts, VerdictRepository verdicts, Clock clock) {
    metrics.known(
        java.util.Arrays.stream(io.macfleet.controller.store.RunStatus.values())
            .filter(io.macfleet.controller.store.RunStatus::ended)
            .map(io.macfleet.controller.store.RunStatus::wire)
            .toList(),
        java.util.Arrays.stream(io.macfleet.controller.verdict.Verdict.Kind.values())
            .map(io.macfleet.controller.verdict.Verdict.Kind::wire)
            .toList(),
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of("invalid", "out_of_sequence", "too_many_streams"),
                java.util.Arrays.stream(io.macfleet.controller.fleet.FleetException.Kind.values())
                    .map(k -> k.name().toLowerCase(java.util.Locale.ROOT)))
            .distinct()
            .toList());
    java.time.Duration every = java.time.Duration.ofSeconds(15);
    var state = new io.macfleet.controller.ops.Cached<>(
        () -> hosts.fleetCounts(java.time.OffsetDateTime.now(clock).minusHours(24)),
        every,
        io.macfleet.controller.store.FleetCounts.EMPTY);
    metrics.counts(
        "macfleet.hosts.thermal",
        "enrolled hosts by thermal level (their newest report)",
        "level",
        io.macfleet.controller.store.FleetCounts.THERMAL,
        () -> state.get().byThermal(),
        java.time.Duration.ZERO);
    metrics.counts(
        "macfleet.hosts.ollama",
        "enrolled hosts by Ollama state: up, down (nothing listening), unhealthy",
        "state",
        io.macfleet.controller.store.FleetCounts.OLLAMA,
        () -> state.get().byOllama(),
        java.time.Duration.ZERO);
    metrics.gauge(
        "macfleet.drift.tags",
        "model tags whose digest differs across hosts (macfleet drift)",
        () -> state.get().driftedTags());
    metrics.counts(
        "macfleet.hosts.failing.gate",
        "hosts failing each of the runbook's gates: identity (a drifted tag), concurrency (a newest verdict of "
            + "concurrency within 30 days), clients (a truncated prompt, or more than one request at once on "
            + "MLX, within 24 h)",
        "gate",
        io.macfleet.controller.store.FleetCounts.GATES,
        () -> java.util.Map.of(
            "identity", state.get().failingIdentity(),
            "clients", state.get().failingClients(),
            "concurrency",
                verdicts.hostsWithNewest(
                    "concurrency",
                    java.time.OffsetDateTime.now(clock).minus(java.time.Duration.ofDays(30)))),
        every);
    metrics.counts(
        "macfleet.verdicts.newest",
        "host x model x level series judged in the last 30 days, by the kind of their newest verdict",
        "kind",
        java.util.Arrays.stream(io.macfleet.controller.verdict.Verdict.Kind.values())
            .map(io.macfleet.controller.verdict.Verdict.Kind::wire)
            .toList(),
        () -> verdicts.newestKinds(
            java.time.OffsetDateTime.now(clock).minus(java.time.Duration.ofDays(30))),
        every);
  }

  private static String version() {
    String v = ControllerServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static java.util.Map<String, Long> hostCounts(HostRepository hosts, Clock clock) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    io.macfleet.controller.fleet.HostStatusRule.count(hosts.liveness(), clock.instant())
        .forEach((st, n) ->
            out.put(st.name().replace("HOST_", "").toLowerCase(java.util.Locale.ROOT), n));
    return out;
  }

  /** Why the controller is not ready to serve; empty when it is. */
  private static List<String> readiness(
      Database db, StorageHealth storage, ScheduleService schedules, Server grpc) {
    List<String> why = new ArrayList<>();
    storage.problem().ifPresent(why::add);
    try (var c = db.dataSource().getConnection()) {
      if (!c.isValid(2)) {
        why.add("database: connection not valid");
      }
    } catch (java.sql.SQLException e) {
      why.add("database: " + e.getMessage());
    }
    if (!schedules.running()) {
      why.add("scheduler: not running");
    }
    if (grpc.isShutdown()) {
      why.add("grpc: shutting down");
    }
    return why;
  }

  /** The admin SSH endpoint, when serving one. */
  public java.util.Optional<AdminSshServer> ssh() {
    return java.util.Optional.ofNullable(ssh);
  }

  public VerdictService verdicts() {
    return verdicts;
  }

  public AgentSessions sessions() {
    return sessions;
  }

  public long authFailures() {
    return auth.failures();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** The retention purge, which tests run on demand. */
  public Retention retention() {
    return retention;
  }

  /**
   * Stops everything, once: `serve` closes the controller both from its shutdown hook and when the server has
   * terminated, and a second caller waits for the first instead of closing the database under it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    opened.close();
  }
}
