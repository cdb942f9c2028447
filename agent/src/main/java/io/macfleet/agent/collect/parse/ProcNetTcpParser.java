package io.macfleet.agent.collect.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Linux's /proc/net/tcp and /proc/net/tcp6: a header line, then one socket per line with `local_address`,
 * `rem_address` (hex address in the kernel's byte order, then a big-endian hex port), `st` (hex state) and the inode
 * in the tenth column. A row that does not read so is skipped; a file with no header is not this file.
 */
public final class ProcNetTcpParser {
  private ProcNetTcpParser() {}

  public static List<ProcSocket> parse(String text) throws UnrecognisedOutput {
    List<ProcSocket> out = new ArrayList<>();
    String[] lines = text == null ? new String[0] : text.split("\n");
    if (lines.length == 0 || !lines[0].contains("local_address")) {
      throw new UnrecognisedOutput("expected /proc/net/tcp (a header with local_address)");
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].strip().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      try {
        Endpoint local = endpoint(f[1]);
        Endpoint remote = endpoint(f[2]);
        int state = Integer.parseInt(f[3], 16);
        long inode = Long.parseLong(f[9]);
        if (local != null && remote != null) {
          out.add(new ProcSocket(local, remote, state, inode));
        }
      } catch (NumberFormatException e) {
        // a torn or foreign row; the others still count
      }
    }
    return out;
  }

  /** "0100007F:2CAA" → 127.0.0.1:11434; 32 hex digits are IPv6, four 32-bit words each in host (little-endian) order. */
  static Endpoint endpoint(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String addr = s.substring(0, colon);
    String port = Integer.toString(Integer.parseInt(s.substring(colon + 1), 16));
    if (addr.length() == 8) {
      return new Endpoint(ipv4(addr), port);
    }
    if (addr.length() != 32) {
      return null;
    }
    byte[] b = new byte[16];
    for (int w = 0; w < 4; w++) {
      for (int k = 0; k < 4; k++) {
        int hexAt = w * 8 + (3 - k) * 2;
        b[w * 4 + k] = (byte) Integer.parseInt(addr.substring(hexAt, hexAt + 2), 16);
      }
    }
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    if (mapped) {
      return new Endpoint(
          (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff),
          port);
    }
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        h.append(':');
      }
      h.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
    }
    String full = h.toString();
    return new Endpoint(full.equals("0:0:0:0:0:0:0:1") ? "::1" : full, port);
  }

  private static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "."
        + ((v >> 24) & 0xff);
  }
}
