package io.macfleet.controller.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key-only logins against an authorized_keys file, read at each attempt so that adding or removing a key needs
 * no restart. The matching line's comment and the key's fingerprint name the actor in the audit log; every
 * refused key is counted and logged with the peer address.
 */
final class AuthorizedKeysAuthenticator implements PublickeyAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(AuthorizedKeysAuthenticator.class);
  static final AttributeRepository.AttributeKey<String> ACTOR =
      new AttributeRepository.AttributeKey<>();

  private final Path file;
  private final AtomicLong failures = new AtomicLong();

  AuthorizedKeysAuthenticator(Path file) {
    this.file = file;
  }

  long failures() {
    return failures.get();
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    String fp = KeyUtils.getFingerPrint(key);
    try {
      if (Files.isReadable(file)) {
        List<AuthorizedKeyEntry> entries = AuthorizedKeyEntry.readAuthorizedKeys(file);
        for (AuthorizedKeyEntry e : entries) {
          PublicKey allowed = e.resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
          if (allowed != null && KeyUtils.compareKeys(allowed, key)) {
            String comment = e.getComment() == null || e.getComment().isBlank()
                ? username
                : e.getComment().strip();
            session.setAttribute(
                ACTOR, "ssh:" + comment.replaceAll("[^A-Za-z0-9@._+-]", "?") + " (" + fp + ")");
            return true;
          }
        }
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      log.warn("cannot read {}: {}", file, e.getMessage());
    }
    long n = failures.incrementAndGet();
    log.warn(
        "admin SSH: refused key {} for '{}' from {} ({} refusals so far)",
        fp,
        username.replaceAll("[^\\x20-\\x7e]", "?"),
        session.getClientAddress(),
        n);
    return false;
  }
}
