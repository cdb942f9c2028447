package io.macfleet.controller.fleet;

import io.macfleet.controller.store.EventRepository;
import io.macfleet.controller.store.EventRow;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import io.macfleet.proto.v1.DriftReport;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the platform team asks of the fleet: hosts, one host, labels, revocation, drift. */
public final class FleetService {
  private static final Logger log = LoggerFactory.getLogger(FleetService.class);

  private final HostRepository hosts;
  private final EventRepository events;
  private final NodeKeyAuthenticator authenticator;
  private final Clock clock;

  public FleetService(
      HostRepository hosts,
      EventRepository events,
      NodeKeyAuthenticator authenticator,
      Clock clock) {
    this.hosts = hosts;
    this.events = events;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  public List<HostRow> list() {
    return hosts.listAll();
  }

  public HostRow get(String name, boolean withSnapshot) {
    return hosts
        .findByName(name, withSnapshot)
        .orElseThrow(() -> new FleetException(
            FleetException.Kind.NOT_FOUND,
            "no host named '" + Names.printable(name) + "'; see `macfleet hosts`"));
  }

  public HostRow setLabels(String name, Map<String, String> set, List<String> remove) {
    set.forEach(Names::label);
    remove.forEach(k -> Names.label(k, ""));
    HostRow h = get(name, false);
    hosts.setLabels(h.id(), set, remove);
    log.info("labels of {}: set {} removed {}", name, set, remove);
    return get(name, false);
  }

  public HostRow revoke(String name) {
    HostRow h = get(name, false);
    if (!hosts.revoke(h.id(), OffsetDateTime.now(clock))) {
      throw new FleetException(
          FleetException.Kind.CONFLICT, "host " + name + " is already revoked");
    }
    authenticator.invalidate(h.id());
    log.info("revoked host {} ({}); its node key is refused from now on", name, h.id());
    return get(name, false);
  }

  /**
   * Lets the next enrollment under {@code name} re-key the host within {@code valid}, whatever hardware UUID it
   * carries (new hardware, a reinstalled Mac without its old key). Used once; a revoked host stays revoked.
   */
  public HostRow approveRekey(String name, java.time.Duration valid) {
    if (valid.isNegative() || valid.isZero() || valid.compareTo(java.time.Duration.ofDays(1)) > 0) {
      throw new FleetException(FleetException.Kind.INVALID, "an approval lasts 1 to 1440 minutes");
    }
    HostRow h = get(name, false);
    if (h.revoked()) {
      throw new FleetException(
          FleetException.Kind.CONFLICT,
          "host " + name + " is revoked; enroll the machine " + "under a new name");
    }
    hosts.approveRekey(h.id(), OffsetDateTime.now(clock).plus(valid));
    log.info("re-key of host {} approved for {} min", name, valid.toMinutes());
    return get(name, false);
  }

  /** Events since a time, for one host (by name) or, with null, the fleet; at most limit, newest kept. */
  public List<EventRow> events(String hostName, OffsetDateTime since, int limit) {
    if (limit < 1 || limit > 100_000) {
      throw new FleetException(FleetException.Kind.INVALID, "limit must be between 1 and 100000");
    }
    String hostId =
        hostName == null || hostName.isEmpty() ? null : get(hostName, false).id();
    return events.list(hostId, since, limit);
  }

  public DriftReport drift() {
    return DriftAnalyzer.analyze(hosts.listAll());
  }
}
