package io.macfleet.controller.fleet;

import io.macfleet.controller.security.ControllerSecrets;
import io.macfleet.controller.security.Secrets;
import io.macfleet.controller.store.HostCredential;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges the enrollment secret for a per-host node key. Re-enrolling the same machine (proven by its hardware
 * UUID, its current key or an admin's approval) rotates its key; a name held by another machine, or a revoked host,
 * is refused, and a peer with many refusals is slowed down.
 */
public final class EnrollmentService {
  private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

  private final ControllerSecrets secrets;
  private final HostRepository hosts;
  private final NodeKeyAuthenticator authenticator;
  private final Clock clock;

  public EnrollmentService(
      ControllerSecrets secrets,
      HostRepository hosts,
      NodeKeyAuthenticator authenticator,
      Clock clock) {
    this.secrets = secrets;
    this.hosts = hosts;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  private volatile java.util.function.Consumer<String> rekeyed = h -> {};

  /** Whether a credential (a stream's, from when it opened) is still the host's current one. */
  public boolean isCurrent(HostCredential c) {
    return authenticator.isCurrent(c);
  }

  /** Told the host id each time a host is re-keyed: its streams opened with the old key must end now. */
  public void onRekey(java.util.function.Consumer<String> action) {
    this.rekeyed = action;
  }

  /**
   * Refused enrollments per peer address: 10 at once, then one per 30 s. Past that a peer's enrollments are refused
   * before the secret is even compared, so nobody can guess the secret or probe names at network speed.
   */
  private static final double REFUSALS_BURST = 10;

  private static final double REFUSALS_PER_SECOND = 1.0 / 30;
  private static final int PEERS_MAX = 10_000;
  private final java.util.Map<String, TokenBucket> refusalsByPeer =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong refused =
      new java.util.concurrent.atomic.AtomicLong();

  /** Enrollments refused since start (wrong secret, a name held by another machine, a revoked host, too many). */
  public long refusals() {
    return refused.get();
  }

  /** As {@link #enroll(String, String, String, String, String)} without a current key, from an unknown peer. */
  public Enrollment enroll(String secret, String hostname, String hardwareUuid) {
    return enroll(secret, hostname, hardwareUuid, "", "");
  }

  /**
   * Enrolls a new host, or re-keys an enrolled one when the request proves it is that host: the same non-empty
   * hardware UUID, its current node key, or an admin's approval ({@code macfleet hosts approve}). Every Mac holds
   * the enrollment secret, so without such proof any Mac could take over another's name, its key and its reports.
   */
  public Enrollment enroll(
      String secret, String hostname, String hardwareUuid, String currentNodeKey, String peer) {
    TokenBucket bucket = refusalsByPeer.get(peer);
    if (bucket != null && !bucket.has(1, System.nanoTime())) {
      refused.incrementAndGet();
      log.warn(
          "enrollment refused from {}: too many refused enrollments from there",
          Names.printable(peer));
      throw new FleetException(
          FleetException.Kind.RATE_LIMITED,
          "too many refused enrollments from this address; "
              + "wait a minute, then check the enrollment secret and the host name");
    }
    try {
      return enrollChecked(secret, hostname, hardwareUuid, currentNodeKey);
    } catch (FleetException e) {
      if (e.kind() == FleetException.Kind.DENIED || e.kind() == FleetException.Kind.CONFLICT) {
        refused.incrementAndGet();
        if (refusalsByPeer.size() > PEERS_MAX) {
          refusalsByPeer
              .clear(); // a bound on memory: at worst a peer starts again with a full bucket
        }
        refusalsByPeer
            .computeIfAbsent(
                peer, p -> new TokenBucket(REFUSALS_PER_SECOND, REFUSALS_BURST, System.nanoTime()))
            .tryTake(1, System.nanoTime());
      }
      throw e;
    }
  }

  private synchronized Enrollment enrollChecked(
      String secret, String hostname, String hardwareUuid, String currentNodeKey) {
    if (!secrets.enrollmentSecretMatches(secret)) {
      log.warn("enrollment refused for '{}': wrong enrollment secret", Names.printable(hostname));
      throw new FleetException(FleetException.Kind.DENIED, "wrong enrollment secret");
    }
    String name = Names.host(hostname);
    String uuid = hardwareUuid == null ? "" : hardwareUuid.strip();
    if (uuid.length() > 64) {
      throw new FleetException(
          FleetException.Kind.INVALID, "hardware UUID longer than 64 characters");
    }
    String key = Secrets.newSecret("mfn_");
    String hash = Secrets.sha256Hex(key);
    OffsetDateTime now = OffsetDateTime.now(clock);
    Optional<HostRow> existing = hosts.findByName(name, false);
    if (existing.isEmpty()) {
      String id = UUID.randomUUID().toString();
      hosts.insert(id, name, uuid, hash, now);
      authenticator.remember(hash, new HostCredential(id, name, 1, false));
      log.info("enrolled new host {} ({})", name, id);
      return new Enrollment(id, key, 1);
    }
    HostRow h = existing.get();
    if (h.revoked()) {
      throw new FleetException(
          FleetException.Kind.DENIED,
          "host " + name + " was revoked at " + h.revokedAt()
              + "; enroll this machine under a new name");
    }
    String proof = proof(h, uuid, currentNodeKey, now);
    if (proof == null) {
      log.warn(
          "enrollment refused for existing host '{}': no proof it is the same machine (UUID {})",
          name,
          uuid.isEmpty() ? "missing" : "different");
      throw new FleetException(
          FleetException.Kind.CONFLICT,
          "host name " + name + " is already enrolled, and this "
              + "request does not prove it is the same machine ("
              + (uuid.isEmpty() ? "no hardware UUID" : "a different hardware UUID")
              + ", no current node key); pick another --name, or have an admin run "
              + "`macfleet hosts approve " + name + "` and enroll again within its time");
    }
    // an approved or key-proven re-key may come from new hardware: its UUID is the host's from now
    // on
    int epoch = hosts.rekey(h.id(), uuid.isEmpty() ? h.hardwareUuid() : uuid, hash, now);
    authenticator.invalidate(h.id());
    authenticator.remember(hash, new HostCredential(h.id(), name, epoch, false));
    rekeyed.accept(h.id());
    log.info(
        "re-enrolled host {} ({}) by {}, enrollment {}; its previous node key no longer works",
        name,
        h.id(),
        proof,
        epoch);
    return new Enrollment(h.id(), key, epoch);
  }

  /** How the request proves it is the enrolled host, or null when it does not. */
  private String proof(HostRow h, String uuid, String currentNodeKey, OffsetDateTime now) {
    if (currentNodeKey != null && !currentNodeKey.isEmpty()) {
      String held = hosts.nodeKeyHash(h.id());
      if (held != null && Secrets.constantTimeEquals(Secrets.sha256Hex(currentNodeKey), held)) {
        return "its current node key";
      }
    }
    OffsetDateTime approved = hosts.rekeyApprovedUntil(h.id());
    if (approved != null && approved.isAfter(now)) {
      return "an admin's approval";
    }
    if (uuid.isEmpty()) {
      return null;
    }
    // a host imported from a file has no UUID and no key yet: its first enrollment claims it
    boolean same = h.hardwareUuid().isEmpty()
        ? !hosts.hasNodeKey(h.id())
        : h.hardwareUuid().equalsIgnoreCase(uuid);
    return same ? "its hardware UUID" : null;
  }
}
