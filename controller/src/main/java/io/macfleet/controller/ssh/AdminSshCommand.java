package io.macfleet.controller.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One exec request: the words of the request run as a `macfleet` command, through the same picocli classes
 * as the local CLI, writing only to this channel's out and err, against the controller the endpoint belongs
 * to and in the name of the verified key. Runs off the SSH I/O threads.
 */
final class AdminSshCommand implements Command {
  private final String line;
  private final List<String> connection;
  private final ExecutorService workers;
  private final io.macfleet.controller.fleet.AuditLog audit;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;

  private final String endpointToken;
  private final AdminCommands commands;

  AdminSshCommand(
      String line,
      List<String> connection,
      ExecutorService workers,
      io.macfleet.controller.fleet.AuditLog audit,
      String endpointToken,
      AdminCommands commands) {
    this.commands = commands;
    this.endpointToken = endpointToken;
    this.audit = audit;
    this.line = line;
    this.connection = connection;
    this.workers = workers;
  }

  @Override
  public void setInputStream(InputStream in) {
    // commands read no input
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
  public void start(ChannelSession channel, Environment env) {
    String actor = channel.getSession().getAttribute(AuthorizedKeysAuthenticator.ACTOR);
    workers.execute(() -> {
      PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
      PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
      int code;
      try {
        List<String> words = CommandLineWords.split(line);
        String refusal = AdminSshPolicy.refusal(words);
        if (refusal != null) {
          e.println("error: " + refusal);
          code = 2;
          // what was asked, escaped and cut: a refused request is evidence, never a log line an
          // attacker writes
          audit.record(
              actor == null ? "ssh:unknown" : actor,
              "ssh.refused",
              "",
              AdminSshPolicy.printable(line) + " — " + refusal,
              code,
              refusal);
        } else {
          List<String> args = new ArrayList<>(words);
          if (!words.get(0).equals("help") && !words.contains("--help") && !words.contains("-h")) {
            args.addAll(connection);
          }
          // the endpoint's own credential, so the controller may take the verified key's name for
          // the audit log
          code = commands.run(
              o,
              e,
              endpointToken,
              actor == null ? "ssh:unknown" : actor,
              args.toArray(new String[0]));
        }
      } catch (IllegalArgumentException ex) {
        e.println("error: " + ex.getMessage());
        code = 2;
      } catch (RuntimeException ex) {
        e.println("error: internal error; see the controller log");
        code = 128;
      }
      o.flush();
      e.flush();
      try {
        out.flush();
        err.flush();
      } catch (IOException ignored) {
        // the client went away; the exit status goes nowhere either
      }
      exit.onExit(code);
    });
  }

  @Override
  public void destroy(ChannelSession channel) {
    // a command in flight finishes; its output goes to a closed channel
  }
}
