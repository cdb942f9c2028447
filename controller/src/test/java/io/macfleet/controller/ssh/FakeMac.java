package io.macfleet.controller.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * An embedded MINA SSHD server that plays a Mac: it lets in one public key and answers the commands macOS
 * would, with outputs the test sets (taken from fixtures/macos where a real capture exists). It
 * records every command line it received, exactly as sent.
 */
final class FakeMac implements AutoCloseable {
  record Answer(int exit, String out, String err) {}

  final List<String> received = new CopyOnWriteArrayList<>();
  final Map<List<String>, Answer> answers = new ConcurrentHashMap<>();
  /** Commands that change state (a fake Ollama store): tried when no fixed answer matches; null to pass. */
  volatile java.util.function.Function<List<String>, Answer> handler = argv -> null;

  private final SshServer sshd;

  FakeMac(Path hostKey, PublicKey allowed) throws IOException {
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKey);
    keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    sshd.setKeyPairProvider(keys);
    sshd.setPublickeyAuthenticator(
        (user, key, session) -> user.equals("macfleet") && KeyUtils.compareKeys(key, allowed));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setCommandFactory((channel, line) -> new Reply(line));
    sshd.start();
  }

  int port() {
    return sshd.getPort();
  }

  void answer(List<String> argv, int exit, String out) {
    answers.put(argv, new Answer(exit, out, ""));
  }

  @Override
  public void close() throws IOException {
    sshd.stop(true);
  }

  private final class Reply implements Command {
    private final String line;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    Reply(String line) {
      this.line = line;
    }

    @Override
    public void setInputStream(InputStream in) {
      // unused
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      received.add(line);
      // the words a POSIX shell would see; a real Mac's sshd hands the line to the user's shell the
      // same way
      List<String> argv = CommandLineWords.split(line);
      Answer a = answers.get(argv);
      if (a == null) {
        a = handler.apply(argv);
      }
      if (a == null) {
        a = new Answer(127, "", "zsh: command not found: " + argv.get(0) + "\n");
      }
      out.write(a.out().getBytes(StandardCharsets.UTF_8));
      err.write(a.err().getBytes(StandardCharsets.UTF_8));
      out.flush();
      err.flush();
      exit.onExit(a.exit());
    }

    @Override
    public void destroy(ChannelSession channel) {
      // nothing held
    }
  }

  /** A real macOS capture from the repository's fixtures/macos (the build passes the path). */
  static String fixture(String name) throws IOException {
    String dir = System.getProperty("macfleet.fixtures", "../fixtures");
    return Files.readString(Path.of(dir, "macos", name));
  }
}
