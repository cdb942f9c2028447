package io.macfleet.agent.collect.clients;

import io.macfleet.agent.collect.Collector;
import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import io.macfleet.proto.v1.Clients;
import io.macfleet.proto.v1.CollectorStatus;
import java.nio.file.NoSuchFileException;
import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gate C's two views of who calls this host's Ollama, once per report interval: the callers holding connections now,
 * and what the server.log says about the requests since the previous read. Either can be not applicable or fail
 * without the other; each says how it went.
 */
public final class ClientsCollector {
  private static final Logger log = LoggerFactory.getLogger(ClientsCollector.class);
  public static final int MAX_READ_BYTES = 4 << 20;

  private final ConnectionSource connections;
  private final Optional<ServerLogTail> serverLog;
  private final int port;
  private final ZoneId zone;
  private final ServerLogActivityFold.Recent recent = new ServerLogActivityFold.Recent();

  public ClientsCollector(
      ConnectionSource connections, Optional<ServerLogTail> serverLog, int port, ZoneId zone) {
    this.connections = connections;
    this.serverLog = serverLog;
    this.port = port;
    this.zone = zone;
  }

  public synchronized Clients collect() {
    Clients.Builder b = Clients.newBuilder();
    CollectorStatus.Builder cs = CollectorStatus.newBuilder().setName("ollama-clients");
    long t0 = System.nanoTime();
    try {
      b.addAllClients(ClientInventory.of(connections.sockets(port), port));
      cs.setOutcome(CollectorStatus.Outcome.OK);
    } catch (Exception e) {
      failed(cs, e);
    }
    b.setConnections(cs.setMillis(millis(t0)));
    CollectorStatus.Builder ls = CollectorStatus.newBuilder().setName("ollama-server-log");
    t0 = System.nanoTime();
    if (serverLog.isEmpty()) {
      ls.setOutcome(CollectorStatus.Outcome.NOT_APPLICABLE).setMessage("no --ollama-log given");
    } else {
      try {
        ServerLogTail.Chunk chunk = serverLog.get().read();
        b.setLog(ServerLogActivityFold.of(chunk.lines(), zone, chunk.note(), recent));
        ls.setOutcome(CollectorStatus.Outcome.OK);
      } catch (NoSuchFileException e) {
        ls.setOutcome(CollectorStatus.Outcome.FAILED)
            .setMessage(serverLog.get().file() + " does not exist (is --ollama-log right?)");
      } catch (Exception e) {
        failed(ls, e);
      }
    }
    return b.setLogStatus(ls.setMillis(millis(t0))).build();
  }

  private static void failed(CollectorStatus.Builder s, Exception e) {
    if (e instanceof Collector.NotApplicable) {
      s.setOutcome(CollectorStatus.Outcome.NOT_APPLICABLE).setMessage(e.getMessage());
    } else if (e instanceof UnrecognisedOutput) {
      s.setOutcome(CollectorStatus.Outcome.FAILED)
          .setMessage("unrecognised output: " + e.getMessage());
    } else {
      log.debug("{} failed", s.getName(), e);
      s.setOutcome(CollectorStatus.Outcome.FAILED)
          .setMessage(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static int millis(long t0) {
    return (int) ((System.nanoTime() - t0) / 1_000_000);
  }
}
