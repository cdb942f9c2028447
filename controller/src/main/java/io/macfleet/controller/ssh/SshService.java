package io.macfleet.controller.ssh;

import io.macfleet.controller.fleet.AuditLog;
import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.Names;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * The controller's remote operations over SSH: its key, trusting a host's key, and the agentless check. Each
 * operation is audited with its exit code and a digest of what it saw.
 */
public final class SshService {
  private final HostRepository hosts;
  private final Path sshDir;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration connectTimeout;
  private final Duration commandTimeout;

  public SshService(
      HostRepository hosts,
      Path sshDir,
      AuditLog audit,
      Clock clock,
      Duration connectTimeout,
      Duration commandTimeout) {
    this.hosts = hosts;
    this.sshDir = sshDir;
    this.audit = audit;
    this.clock = clock;
    this.connectTimeout = connectTimeout;
    this.commandTimeout = commandTimeout;
  }

  public KeyPair key() throws IOException {
    return ControllerSshKey.loadOrCreate(sshDir.resolve("id_ecdsa"));
  }

  public KnownHosts knownHosts() {
    return new KnownHosts(sshDir.resolve("known_hosts"));
  }

  public RemoteShell shell() throws IOException {
    return new RemoteShell(key(), knownHosts(), connectTimeout);
  }

  public SshTarget target(String hostName) {
    HostRow h = host(hostName);
    try {
      return SshTarget.of(h.name(), h.labels());
    } catch (IllegalArgumentException e) {
      throw new FleetException(FleetException.Kind.INVALID, e.getMessage());
    }
  }

  public record Trusted(String name, String fingerprint, String previous, boolean changed) {}

  /** Records the host's key (trust on first use, made explicit); a changed key needs replace. */
  public Trusted trust(String actor, String hostName, boolean replace) {
    SshTarget t = target(hostName);
    String detail = "trust " + t.knownHostsName() + (replace ? " --replace" : "");
    try {
      PublicKey offered = shell().hostKey(t);
      Optional<PublicKey> known = knownHosts().lookup(t.knownHostsName());
      String fp = KeyUtils.getFingerPrint(offered);
      if (known.isPresent() && KeyUtils.compareKeys(known.get(), offered)) {
        audit.record(actor, "ssh.trust", hostName, detail + ": already trusted", 0, fp);
        return new Trusted(t.knownHostsName(), fp, fp, false);
      }
      if (known.isPresent() && !replace) {
        String msg = "HOST KEY CHANGED for " + t.knownHostsName() + ": known_hosts has "
            + KeyUtils.getFingerPrint(known.get()) + ", the host now offers " + fp
            + ". Not replaced. Check the key "
            + "on the Mac itself; if it was reinstalled, run `macfleet ssh trust " + hostName
            + " --replace`.";
        audit.record(actor, "ssh.trust", hostName, detail + ": refused, key changed", 1, msg);
        throw new FleetException(FleetException.Kind.CONFLICT, msg);
      }
      knownHosts().put(t.knownHostsName(), offered);
      audit.record(actor, "ssh.trust", hostName, detail, 0, fp);
      return new Trusted(
          t.knownHostsName(), fp, known.map(KeyUtils::getFingerPrint).orElse(""), true);
    } catch (IOException e) {
      audit.record(actor, "ssh.trust", hostName, detail, 3, e.getMessage());
      throw new FleetException(FleetException.Kind.UNAVAILABLE, e.getMessage());
    }
  }

  /** Logs in, runs the fixed check commands, classifies, records the outcome on the host and in the audit. */
  public AgentlessCheck.Outcome check(String actor, String hostName) {
    HostRow h = host(hostName);
    SshTarget t = target(hostName);
    AgentlessCheck.Outcome o;
    StringBuilder seen = new StringBuilder();
    int exit = 0;
    try (RemoteShell.Connection c = shell().open(t)) {
      List<RemoteShell.Result> r = new ArrayList<>();
      for (List<String> cmd : AgentlessCheck.commands()) {
        RemoteShell.Result x = c.run(cmd, commandTimeout);
        seen.append(String.join(" ", cmd))
            .append(" → ")
            .append(x.exit())
            .append('\n')
            .append(x.out())
            .append(x.err());
        r.add(x);
      }
      o = AgentlessCheck.classify(
          clock.instant(),
          h.lastSeen() == null ? null : h.lastSeen().toInstant(),
          r.get(0),
          r.get(1),
          r.get(2));
    } catch (KnownHosts.Mismatch e) {
      audit.record(actor, "ssh.check", hostName, "check " + t.knownHostsName(), 4, e.getMessage());
      throw new FleetException(FleetException.Kind.DENIED, e.getMessage());
    } catch (IOException e) {
      boolean untrusted = e.getMessage() != null && e.getMessage().contains("ssh trust");
      if (untrusted) {
        audit.record(
            actor, "ssh.check", hostName, "check " + t.knownHostsName(), 2, e.getMessage());
        throw new FleetException(FleetException.Kind.INVALID, e.getMessage());
      }
      o = new AgentlessCheck.Outcome(
          AgentlessCheck.State.UNREACHABLE,
          "unreachable over SSH: " + e.getMessage()
              + " (off, asleep without wake for network access, or the network)",
          List.of(e.getMessage()));
      seen.append(e.getMessage());
      exit = 3;
    }
    hosts.setAgentless(h.id(), o.state().wire(), o.summary(), OffsetDateTime.now(clock));
    audit.record(
        actor,
        "ssh.check",
        hostName,
        "check " + t.knownHostsName() + ": " + o.state().wire(),
        exit,
        seen.toString());
    return o;
  }

  private HostRow host(String name) {
    return hosts
        .findByName(Names.host(name), false)
        .orElseThrow(() -> new FleetException(
            FleetException.Kind.NOT_FOUND,
            "no host named '" + Names.printable(name) + "'; see `macfleet hosts`"));
  }
}
