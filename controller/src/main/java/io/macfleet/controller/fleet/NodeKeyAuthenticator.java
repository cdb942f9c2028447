package io.macfleet.controller.fleet;

import io.macfleet.controller.security.Secrets;
import io.macfleet.controller.store.HostCredential;
import io.macfleet.controller.store.HostRepository;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a presented node key to its host. Hits are cached (keyed by hash, never by the key itself)
 * because every report is authenticated; revocation and re-enrollment drop the host's entries.
 */
public final class NodeKeyAuthenticator {
  private final HostRepository hosts;
  private final ConcurrentHashMap<String, HostCredential> cache = new ConcurrentHashMap<>();
  /** Each host's current enrollment, as far as this controller knows: what a stream's credential must still be. */
  private final ConcurrentHashMap<String, Integer> currentEpoch = new ConcurrentHashMap<>();

  public NodeKeyAuthenticator(HostRepository hosts) {
    this.hosts = hosts;
  }

  /** The host this key belongs to, if it is current and not revoked. */
  public Optional<HostCredential> authenticate(String nodeKey) {
    if (nodeKey == null || !nodeKey.startsWith("mfn_") || nodeKey.length() > 128) {
      return Optional.empty();
    }
    String hash = Secrets.sha256Hex(nodeKey);
    HostCredential c = cache.get(hash);
    if (c == null) {
      Optional<HostCredential> found = hosts.findCredential(hash);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      c = found.get();
      if (!c.revoked()) {
        cache.put(hash, c);
        currentEpoch.merge(c.hostId(), c.epoch(), Math::max);
      }
    }
    return c.revoked() ? Optional.empty() : Optional.of(c);
  }

  /** Whether this key would be answered from memory, without a database read. */
  public boolean isCached(String nodeKey) {
    return nodeKey != null
        && nodeKey.startsWith("mfn_")
        && nodeKey.length() <= 128
        && cache.containsKey(Secrets.sha256Hex(nodeKey));
  }

  /**
   * Loads every current key's host, so that agents reconnecting after a restart are answered from memory (and
   * their streams can run on the network thread, see AgentCallExecutor).
   */
  public int preload() {
    var all = hosts.currentCredentials();
    cache.putAll(all);
    all.values().forEach(c -> currentEpoch.merge(c.hostId(), c.epoch(), Math::max));
    return all.size();
  }

  /**
   * Applies revocations and re-enrollments another controller made: entries of a revoked host, or of an epoch
   * that is no longer current, are dropped.
   */
  public void reconcile(java.util.Collection<HostCredential> changed) {
    for (HostCredential now : changed) {
      cache
          .values()
          .removeIf(
              c -> c.hostId().equals(now.hostId()) && (now.revoked() || c.epoch() != now.epoch()));
      if (now.revoked()) {
        currentEpoch.remove(now.hostId());
      } else {
        currentEpoch.put(now.hostId(), now.epoch());
      }
    }
  }

  /** A key just issued at enrollment: its agent connects at once, and is answered from memory. */
  public void remember(String keyHash, HostCredential host) {
    cache.put(keyHash, host);
    currentEpoch.put(host.hostId(), host.epoch());
  }

  public void invalidate(String hostId) {
    cache.values().removeIf(c -> c.hostId().equals(hostId));
    currentEpoch.remove(hostId);
  }

  /**
   * Whether a credential a stream was opened with is still the host's current one: false once the host was revoked
   * or re-enrolled (a new key, a new epoch). Checked on every message a stream sends; a map lookup.
   */
  public boolean isCurrent(HostCredential c) {
    Integer epoch = currentEpoch.get(c.hostId());
    return epoch != null && epoch == c.epoch() && !c.revoked();
  }
}
