package io.macfleet.controller.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Iterator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * The key the controller logs in to Macs with (DATA/ssh/id_ecdsa, OpenSSH format, 0600), made on first use.
 * Its public half (`macfleet ssh key`) goes into the Macs' authorized_keys — the Ansible role can put it there.
 */
public final class ControllerSshKey {
  private ControllerSshKey() {}

  public static KeyPair loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    Iterator<KeyPair> keys;
    try {
      keys = new FileKeyPairProvider(file).loadKeys(null).iterator();
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot read the controller's SSH key " + file + ": " + e.getMessage(), e);
    }
    if (!keys.hasNext()) {
      throw new IOException(file + " holds no key");
    }
    return keys.next();
  }

  public static String publicLine(KeyPair key) {
    return PublicKeyEntry.toString(key.getPublic()) + " macfleet-controller";
  }

  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    KeyPair kp;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      kp = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make an SSH key: " + e.getMessage(), e);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "macfleet-controller", null, out);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the SSH key: " + e.getMessage(), e);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), publicLine(kp) + "\n");
  }
}
