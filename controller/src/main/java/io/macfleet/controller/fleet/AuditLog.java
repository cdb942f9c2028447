package io.macfleet.controller.fleet;

import io.macfleet.controller.store.AuditRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what people and the controller did: remote actions, schedule, baseline and host changes, imports.
 * The output is kept as a SHA-256 digest — enough to prove what was shown without storing it.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private final AuditRepository repo;
  private final Clock clock;

  public AuditLog(AuditRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  public void record(
      String actor, String action, String host, String detail, int exitCode, String output) {
    repo.append(
        OffsetDateTime.now(clock),
        actor == null || actor.isBlank() ? "unknown" : actor,
        action,
        host,
        detail,
        exitCode,
        sha256(output == null ? "" : output));
    log.info("audit: {} {} {} → exit {}", actor, action, host == null ? "" : host, exitCode);
  }

  public static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public AuditRepository repository() {
    return repo;
  }
}
