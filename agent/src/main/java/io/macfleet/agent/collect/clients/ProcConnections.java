package io.macfleet.agent.collect.clients;

import io.macfleet.agent.collect.Collector;
import io.macfleet.agent.collect.parse.ProcNetTcpParser;
import io.macfleet.agent.collect.parse.ProcSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linux: the established sockets of /proc/net/tcp and tcp6 that touch the port, and their owners found by walking
 * /proc/PID/fd for "socket:[INODE]" (only for the inodes wanted; another user's processes need root, and an
 * unreadable owner is reported as unknown rather than guessed).
 */
public final class ProcConnections implements ConnectionSource {
  private static final int MAX_PROCESSES = 20_000;

  private final Path proc;

  public ProcConnections(Path proc) {
    this.proc = proc;
  }

  @Override
  public List<SocketOwner> sockets(int port) throws Exception {
    Path tcp = proc.resolve("net/tcp");
    if (!Files.isReadable(tcp)) {
      throw new Collector.NotApplicable("no readable " + tcp);
    }
    List<ProcSocket> rows = new ArrayList<>(ProcNetTcpParser.parse(read(tcp)));
    Path tcp6 = proc.resolve("net/tcp6");
    if (Files.isReadable(tcp6)) {
      rows.addAll(ProcNetTcpParser.parse(read(tcp6)));
    }
    List<ProcSocket> wanted = new ArrayList<>();
    Set<Long> inodes = new HashSet<>();
    for (ProcSocket s : rows) {
      if (s.state() == ProcSocket.ESTABLISHED
          && (s.local().portNumber() == port || s.remote().portNumber() == port)) {
        wanted.add(s);
        inodes.add(s.inode());
      }
    }
    Map<Long, int[]> owner = owners(inodes);
    List<SocketOwner> out = new ArrayList<>();
    for (ProcSocket s : wanted) {
      int[] pid = owner.get(s.inode());
      String command = pid == null ? "" : comm(pid[0]);
      out.add(new SocketOwner(pid == null ? 0 : pid[0], command, s.local(), s.remote()));
    }
    return out;
  }

  private Map<Long, int[]> owners(Set<Long> inodes) throws IOException {
    Map<Long, int[]> out = new HashMap<>();
    if (inodes.isEmpty()) {
      return out;
    }
    int seen = 0;
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path p : pids) {
        if (++seen > MAX_PROCESSES || out.size() == inodes.size()) {
          break;
        }
        int pid;
        try {
          pid = Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
          for (Path fd : fds) {
            String target;
            try {
              target = Files.readSymbolicLink(fd).toString();
            } catch (IOException | UnsupportedOperationException e) {
              continue;
            }
            if (target.startsWith("socket:[") && target.endsWith("]")) {
              try {
                long inode = Long.parseLong(target.substring(8, target.length() - 1));
                if (inodes.contains(inode)) {
                  out.putIfAbsent(inode, new int[] {pid});
                }
              } catch (NumberFormatException ignored) {
                // not a socket inode
              }
            }
          }
        } catch (IOException | SecurityException e) {
          // another user's process, or it went away
        }
      }
    }
    return out;
  }

  private String comm(int pid) {
    try {
      return read(proc.resolve(pid + "/comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }
}
