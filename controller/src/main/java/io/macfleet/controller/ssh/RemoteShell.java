package io.macfleet.controller.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * The controller's SSH client (Apache MINA SSHD): public-key login with the controller's key, strict host-key
 * checking against known_hosts, connect and command timeouts, and commands as argument lists quoted word by
 * word — never a string built from input.
 */
public final class RemoteShell {
  private static final int MAX_OUTPUT = 1 << 20;

  public record Result(int exit, String out, String err, boolean timedOut) {
    public boolean ok() {
      return exit == 0 && !timedOut;
    }
  }

  /** The host could not be reached or would not let us in; message says which and what to do. */
  public static final class Unreachable extends IOException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KeyPair identity;
  private final KnownHosts known;
  private final Duration connectTimeout;

  public RemoteShell(KeyPair identity, KnownHosts known, Duration connectTimeout) {
    this.identity = identity;
    this.known = known;
    this.connectTimeout = connectTimeout;
  }

  /** Connects only far enough to see the host's key (for `ssh trust`); logs in nowhere. */
  public PublicKey hostKey(SshTarget t) throws IOException {
    AtomicReference<PublicKey> seen = new AtomicReference<>();
    SshClient probe = SshClient.setUpDefaultClient();
    probe.setServerKeyVerifier((session, addr, key) -> {
      seen.set(key);
      return false; // never go further than the key exchange
    });
    probe.start();
    try (ClientSession s =
        probe.connect(t.user(), t.address(), t.port()).verify(connectTimeout).getSession()) {
      s.auth().verify(connectTimeout);
    } catch (IOException | RuntimeException e) {
      if (seen.get() == null) {
        throw new Unreachable("cannot reach " + t.knownHostsName() + ": " + e.getMessage(), e);
      }
    } finally {
      probe.stop();
    }
    if (seen.get() == null) {
      throw new Unreachable("no host key from " + t.knownHostsName(), null);
    }
    return seen.get();
  }

  /** A logged-in session to the target, its host key checked against known_hosts before anything is sent. */
  public Connection open(SshTarget t) throws IOException {
    Optional<PublicKey> expected = known.lookup(t.knownHostsName());
    if (expected.isEmpty()) {
      throw new Unreachable(
          t.host() + " (" + t.knownHostsName() + ") is not in " + known.file() + " yet: check "
              + "its key and run `macfleet ssh trust " + t.host() + "`",
          null);
    }
    AtomicReference<IOException> refusal = new AtomicReference<>();
    // one client per connection, so the verifier knows which host it is checking from the start of
    // the KEX
    SshClient c = SshClient.setUpDefaultClient();
    c.setServerKeyVerifier((session, from, key) -> {
      if (KeyUtils.compareKeys(expected.get(), key)) {
        return true;
      }
      refusal.set(new KnownHosts.Mismatch(t.knownHostsName(), expected.get(), key, from));
      return false;
    });
    c.start();
    ClientSession s;
    try {
      s = c.connect(t.user(), t.address(), t.port()).verify(connectTimeout).getSession();
    } catch (IOException | RuntimeException e) {
      c.stop();
      throw new Unreachable("cannot reach " + t.knownHostsName() + ": " + e.getMessage(), e);
    }
    s.addPublicKeyIdentity(identity);
    try {
      s.auth().verify(connectTimeout);
      return new Connection(c, s);
    } catch (IOException | RuntimeException e) {
      s.close(true);
      c.stop();
      if (refusal.get() != null) {
        throw refusal.get();
      }
      throw new Unreachable(
          "cannot log in to " + t.knownHostsName() + " as " + t.user() + ": " + e.getMessage()
              + "; is the controller's key (`macfleet ssh key`) in that user's authorized_keys?",
          e);
    }
  }

  /** A logged-in session; commands run one after another on it. */
  public final class Connection implements AutoCloseable {
    private final SshClient owner;
    private final ClientSession session;

    private Connection(SshClient owner, ClientSession session) {
      this.owner = owner;
      this.session = session;
    }

    /** Runs one command (an argument list) and waits for it, at most timeout. */
    public Result run(List<String> argv, Duration timeout) throws IOException {
      ByteArrayOutputStream out = new Capped();
      ByteArrayOutputStream err = new Capped();
      try (ChannelExec ch = session.createExecChannel(ShellQuote.command(argv))) {
        ch.setOut(out);
        ch.setErr(err);
        ch.open().verify(connectTimeout);
        Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
        boolean timedOut = ev.contains(ClientChannelEvent.TIMEOUT);
        Integer code = ch.getExitStatus();
        return new Result(
            code == null ? -1 : code,
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8),
            timedOut);
      }
    }

    @Override
    public void close() {
      session.close(true);
      owner.stop();
    }
  }

  /** Output kept to 1 MiB: a runaway command cannot fill the controller's memory. */
  private static final class Capped extends ByteArrayOutputStream {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, Math.max(0, Math.min(len, MAX_OUTPUT - count)));
    }

    @Override
    public synchronized void write(int b) {
      if (count < MAX_OUTPUT) {
        super.write(b);
      }
    }
  }
}
