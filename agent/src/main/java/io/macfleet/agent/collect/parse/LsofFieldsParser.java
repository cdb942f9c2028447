package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * `lsof -F` (OUTPUT FOR OTHER PROGRAMS in its manual): one field per line, its first character naming it. A `p` line
 * starts a process set (`c` its command), an `f` line a file set (`n` the name, `TST=` the TCP state). Fields this
 * parser does not use (g R u L a l t G d o P, TQR/TQS) are skipped; so are lines that are not fields.
 */
public final class LsofFieldsParser {
  private LsofFieldsParser() {}

  public static List<LsofSocket> parse(String text) throws UnrecognisedOutput {
    List<LsofSocket> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out; // lsof prints nothing (and exits 1) when no file matches
    }
    int pid = -1;
    String command = "";
    String fd = null;
    String name = null;
    String state = "";
    boolean sawProcess = false;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      char id = line.charAt(0);
      String v = line.substring(1);
      switch (id) {
        case 'p' -> {
          flush(out, pid, command, fd, name, state);
          fd = null;
          name = null;
          state = "";
          command = "";
          pid = parsePid(v);
          sawProcess = true;
        }
        case 'c' -> command = v;
        case 'f' -> {
          flush(out, pid, command, fd, name, state);
          fd = v;
          name = null;
          state = "";
        }
        case 'n' -> name = v;
        case 'T' -> {
          if (v.startsWith("ST=")) {
            state = v.substring(3);
          }
        }
        default -> {}
      }
    }
    flush(out, pid, command, fd, name, state);
    if (!sawProcess) {
      throw new UnrecognisedOutput("expected lsof -F field output (a 'p<pid>' line first)");
    }
    return out;
  }

  private static int parsePid(String v) throws UnrecognisedOutput {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new UnrecognisedOutput("expected a process id after 'p', got '" + v + "'");
    }
  }

  private static void flush(
      List<LsofSocket> out, int pid, String command, String fd, String name, String state) {
    if (pid < 0 || fd == null || name == null) {
      return;
    }
    int arrow = name.indexOf("->");
    Endpoint local = Endpoint.parse(arrow < 0 ? name : name.substring(0, arrow));
    Endpoint remote = arrow < 0 ? null : Endpoint.parse(name.substring(arrow + 2));
    if (local != null) {
      out.add(new LsofSocket(pid, command, fd, local, remote, state));
    }
  }
}
