package io.macfleet.controller.fleet;

import io.macfleet.controller.security.ControllerSecrets;
import io.macfleet.controller.security.Secrets;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostCredential;
import io.macfleet.controller.store.HostRow;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges the enrollment secret for a per-host node key. Re-enrolling the same machine (same name
 * and hardware UUID) rotates its key; a name held by another machine, or a revoked host, is refused.
 */
public final class EnrollmentService {
  private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

  private final ControllerSecrets secrets;
  private final HostRepository hosts;
  private final NodeKeyAuthenticator authenticator;
  private final Clock clock;

  public EnrollmentService(ControllerSecrets secrets, HostRepository hosts, NodeKeyAuthenticator authenticator,
      Clock clock) {
    this.secrets = secrets;
    this.hosts = hosts;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  private volatile java.util.function.Consumer<String> rekeyed = h -> { };

  /** Whether a credential (a stream's, from when it opened) is still the host's current one. */
  public boolean isCurrent(HostCredential c) {
    return authenticator.isCurrent(c);
  }

  /** Told the host id each time a host is re-keyed: its streams opened with the old key must end now. */
  public void onRekey(java.util.function.Consumer<String> action) {
    this.rekeyed = action;
  }

  public synchronized Enrollment enroll(String secret, String hostname, String hardwareUuid) {
    if (!secrets.enrollmentSecretMatches(secret)) {
      log.warn("enrollment refused for '{}': wrong enrollment secret", Names.printable(hostname));
      throw new FleetException(FleetException.Kind.DENIED, "wrong enrollment secret");
    }
    String name = Names.host(hostname);
    String uuid = hardwareUuid == null ? "" : hardwareUuid.strip();
    if (uuid.length() > 64) {
      throw new FleetException(FleetException.Kind.INVALID, "hardware UUID longer than 64 characters");
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
      throw new FleetException(FleetException.Kind.DENIED, "host " + name + " was revoked at " + h.revokedAt()
          + "; enroll this machine under a new name");
    }
    // Every Mac holds the enrollment secret, so a re-key must prove it is the same machine: the same non-empty
    // hardware UUID. Without that, any Mac could take over another's name, its key and its reports.
    if (uuid.isEmpty()) {
      log.warn("enrollment refused for existing host '{}': no hardware UUID", name);
      throw new FleetException(FleetException.Kind.CONFLICT, "host name " + name + " is already enrolled and this "
          + "request carries no hardware UUID to prove it is the same machine; pick another --name, or revoke "
          + "the host first (macfleet hosts revoke " + name + ")");
    }
    if (h.hardwareUuid().isEmpty() ? hosts.hasNodeKey(h.id()) : !h.hardwareUuid().equalsIgnoreCase(uuid)) {
      log.warn("enrollment refused for existing host '{}': hardware UUID does not match", name);
      throw new FleetException(FleetException.Kind.CONFLICT, "host name " + name
          + " is enrolled by another machine (different hardware UUID); pick another --name");
    }
    int epoch = hosts.rekey(h.id(), uuid.isEmpty() ? h.hardwareUuid() : uuid, hash, now);
    authenticator.invalidate(h.id());
    authenticator.remember(hash, new HostCredential(h.id(), name, epoch, false));
    rekeyed.accept(h.id());
    log.info("re-enrolled host {} ({}), enrollment {}; its previous node key no longer works", name, h.id(), epoch);
    return new Enrollment(h.id(), key, epoch);
  }
}
