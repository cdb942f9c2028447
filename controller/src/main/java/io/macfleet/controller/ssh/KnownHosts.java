package io.macfleet.controller.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The controller's known_hosts (DATA/ssh/known_hosts, OpenSSH's line format: NAME KEYTYPE BASE64). A host is
 * only ever reached under the key `macfleet ssh trust` recorded for it; a different key is refused, loudly.
 */
public final class KnownHosts {
  private final Path file;

  public KnownHosts(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  public synchronized Optional<PublicKey> lookup(String name) throws IOException {
    for (String line : lines()) {
      String[] parts = line.strip().split("\\s+", 2);
      if (parts.length == 2 && !parts[0].startsWith("#") && parts[0].equals(name)) {
        try {
          return Optional.ofNullable(PublicKeyEntry.parsePublicKeyEntry(parts[1])
              .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          throw new IOException(
              file + ": the entry for " + name + " is unreadable: " + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /** Records (or replaces) the key for a name; written to a temporary file and moved into place. */
  public synchronized void put(String name, PublicKey key) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines()) {
      String[] parts = line.strip().split("\\s+", 2);
      if (!(parts.length == 2 && parts[0].equals(name))) {
        out.add(line);
      }
    }
    out.add(name + " " + PublicKeyEntry.toString(key));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, out, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private List<String> lines() throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  /** Thrown when a host offers a key other than the one recorded: a possible man in the middle. */
  public static final class Mismatch extends IOException {
    public Mismatch(String name, PublicKey expected, PublicKey offered, SocketAddress from) {
      super("HOST KEY MISMATCH for " + name + " (" + from + "): known_hosts has "
          + KeyUtils.getFingerPrint(expected)
          + ", the host offered " + KeyUtils.getFingerPrint(offered)
          + ". Refusing to connect. If the Mac was "
          + "reinstalled, check the new key on the Mac (ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub) and run "
          + "`macfleet ssh trust " + name + " --replace`.");
    }
  }
}
