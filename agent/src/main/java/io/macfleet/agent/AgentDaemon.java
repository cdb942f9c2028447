package io.macfleet.agent;

import io.macfleet.agent.link.AgentCalls;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Backoff;
import io.macfleet.agent.link.ControlStream;
import io.macfleet.agent.link.ReportSender;
import io.macfleet.agent.link.ReportSpool;
import io.macfleet.agent.link.ReportTransport;
import io.macfleet.agent.link.SequenceCounter;
import io.macfleet.agent.link.StreamReportTransport;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ReportReason;
import io.macfleet.proto.v1.ReportRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: collects on a timer and on change, appends every report to the spool, and runs
 * the sender and the control stream. Each part survives the others failing.
 */
public final class AgentDaemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentDaemon.class);

  /** ollamaUrl and host are what pushed probes run against; host may be null (no telemetry during probes). */
  public record Settings(
      Duration interval,
      Duration changePoll,
      int spoolMax,
      String ollamaUrl,
      io.macfleet.agent.collect.HostCollectors host) {
    public Settings(Duration interval, Duration changePoll, int spoolMax) {
      this(interval, changePoll, spoolMax, io.macfleet.agent.ollama.OllamaClient.DEFAULT_URL, null);
    }
  }

  private final SnapshotCollector collector;
  private final Settings settings;
  private final AgentState.Enrollment enrollment;
  private final ControllerLink link;
  private final ReportSpool spool;
  private final SequenceCounter seq;
  private final ReportSender sender;
  private final ControlStream stream;
  private final StreamReportTransport transport;
  private final io.macfleet.agent.probe.ProbeWork probes;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "agent-collect");
    t.setDaemon(true);
    return t;
  });
  private final Thread senderThread;
  private final Thread streamThread;
  private HostSnapshot lastFingerprint;
  private long lastReportNanos;

  public AgentDaemon(AgentState state, SnapshotCollector collector, Settings settings)
      throws IOException {
    this.collector = collector;
    this.settings = settings;
    this.enrollment = state.enrollment();
    String caPem = enrollment.insecure ? null : java.nio.file.Files.readString(state.caFile());
    this.link = ControllerLink.open(enrollment.controller, caPem, enrollment.insecure);
    AgentCalls calls = new AgentCalls(link, state.nodeKey());
    this.spool = new ReportSpool(state.spoolDir(), settings.spoolMax());
    this.seq = new SequenceCounter(state.seqFile(), spool.highestSeq());
    this.probes = new io.macfleet.agent.probe.ProbeWork(settings.ollamaUrl(), settings.host());
    this.stream = new ControlStream(
        calls,
        enrollment.hostId,
        AgentVersion.get(),
        seq::last,
        () -> timer.execute(() -> report(ReportReason.REPORT_REQUESTED)),
        probes::submit,
        new Backoff());
    this.transport = new StreamReportTransport(stream, ReportTransport.unary(calls));
    this.sender =
        new ReportSender(spool, transport, new Backoff(), Duration.ofSeconds(10)).numberedBy(seq);
    stream.onConnected(
        sender::wake); // the controller is back: deliver the spool now, not after a backoff
    stream.onCancelProbe(probes::cancel);
    this.senderThread = new Thread(sender, "agent-sender");
    this.streamThread = new Thread(stream, "agent-stream");
    senderThread.setDaemon(true);
    streamThread.setDaemon(true);
  }

  public void start() {
    log.info(
        "agent {} reporting to {} as {} every {}s ({} report(s) waiting in the spool)",
        AgentVersion.get(),
        enrollment.controller,
        enrollment.hostname,
        settings.interval().toSeconds(),
        spool.size());
    senderThread.start();
    streamThread.start();
    timer.execute(() -> report(ReportReason.REPORT_STARTUP));
    long poll = settings.changePoll().toMillis();
    timer.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    boolean due = System.nanoTime() - lastReportNanos >= settings.interval().toNanos();
    if (due) {
      report(ReportReason.REPORT_INTERVAL);
      return;
    }
    HostSnapshot s = collector.collect((int) settings.interval().toSeconds(), spool.dropped());
    if (!SnapshotCollector.fingerprint(s).equals(lastFingerprint)) {
      enqueue(s, ReportReason.REPORT_CHANGE);
    }
  }

  /**
   * The interval's report (and the first): with Gate C's clients, read once per interval so that each server.log line
   * is reported exactly once; change reports between them carry none.
   */
  private void report(ReportReason reason) {
    HostSnapshot s = collector.collect((int) settings.interval().toSeconds(), spool.dropped());
    if (settings.host() != null && settings.host().clients() != null) {
      s = s.toBuilder().setClients(settings.host().clients().collect()).build();
    }
    enqueue(s, reason);
  }

  private void enqueue(HostSnapshot s, ReportReason reason) {
    try {
      synchronized (
          spool) { // numbered and spooled together: a resync renumbers the spool under the same
        // lock
        ReportRequest r = ReportRequest.newBuilder()
            .setHostId(enrollment.hostId)
            .setSeq(seq.next())
            .setReason(reason)
            .setSnapshot(s)
            .build();
        spool.append(r);
      }
      lastFingerprint = SnapshotCollector.fingerprint(s);
      lastReportNanos = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      log.error("could not spool a report: {}", e.toString());
    }
  }

  public ReportSender sender() {
    return sender;
  }

  public StreamReportTransport transport() {
    return transport;
  }

  public ReportSpool spool() {
    return spool;
  }

  public boolean streamConnected() {
    return stream.connected();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    probes.close();
    sender.stop();
    stream.stop();
    senderThread.interrupt();
    streamThread.interrupt();
    link.close();
    try {
      senderThread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
