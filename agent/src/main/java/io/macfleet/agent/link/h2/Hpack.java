package io.macfleet.agent.link.h2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HPACK (RFC 7541) for one connection: a decoder that keeps the peer's dynamic table, bounded in table size and in
 * the size of one header list, and an encoder that writes every field as a literal, so this side keeps no table
 * the peer could make it grow. Secrets are written "never indexed", so no proxy between may keep them in its
 * table either.
 */
final class Hpack {
  /** A header field: lowercase name and value, as on the wire. */
  record Field(String name, String value) {}

  /** The dynamic table size this side allows (HTTP/2's default, announced in SETTINGS). */
  static final int TABLE_SIZE = 4096;

  private static final String[][] STATIC = {
    {":authority", ""},
    {":method", "GET"},
    {":method", "POST"},
    {":path", "/"},
    {":path", "/index.html"},
    {":scheme", "http"},
    {":scheme", "https"},
    {":status", "200"},
    {":status", "204"},
    {":status", "206"},
    {":status", "304"},
    {":status", "400"},
    {":status", "404"},
    {":status", "500"},
    {"accept-charset", ""},
    {"accept-encoding", "gzip, deflate"},
    {"accept-language", ""},
    {"accept-ranges", ""},
    {"accept", ""},
    {"access-control-allow-origin", ""},
    {"age", ""},
    {"allow", ""},
    {"authorization", ""},
    {"cache-control", ""},
    {"content-disposition", ""},
    {"content-encoding", ""},
    {"content-language", ""},
    {"content-length", ""},
    {"content-location", ""},
    {"content-range", ""},
    {"content-type", ""},
    {"cookie", ""},
    {"date", ""},
    {"etag", ""},
    {"expect", ""},
    {"expires", ""},
    {"from", ""},
    {"host", ""},
    {"if-match", ""},
    {"if-modified-since", ""},
    {"if-none-match", ""},
    {"if-range", ""},
    {"if-unmodified-since", ""},
    {"last-modified", ""},
    {"link", ""},
    {"location", ""},
    {"max-forwards", ""},
    {"proxy-authenticate", ""},
    {"proxy-authorization", ""},
    {"range", ""},
    {"referer", ""},
    {"refresh", ""},
    {"retry-after", ""},
    {"server", ""},
    {"set-cookie", ""},
    {"strict-transport-security", ""},
    {"transfer-encoding", ""},
    {"user-agent", ""},
    {"vary", ""},
    {"via", ""},
    {"www-authenticate", ""}
  };

  private final ArrayDeque<Field> dynamic = new ArrayDeque<>(); // newest first
  private final int maxListSize;
  private int tableSize;
  private int tableLimit = TABLE_SIZE;

  /** MAX_LIST_SIZE bounds one decoded header list (names, values and 32 bytes each, as RFC 7540 counts it). */
  Hpack(int maxListSize) {
    this.maxListSize = maxListSize;
  }

  List<Field> decode(byte[] block) throws HpackException {
    List<Field> out = new ArrayList<>();
    int[] pos = {0};
    long listSize = 0;
    boolean fieldSeen = false;
    while (pos[0] < block.length) {
      int b = block[pos[0]] & 0xff;
      Field f;
      if ((b & 0x80) != 0) { // indexed field
        f = entry(integer(block, pos, 7));
      } else if ((b & 0x40) != 0) { // literal, added to the table
        f = literal(block, pos, 6);
        add(f);
      } else if ((b & 0x20) != 0) { // table size update: only before the first field
        if (fieldSeen) {
          throw new HpackException("dynamic table size update after a header field");
        }
        int size = integer(block, pos, 5);
        if (size > TABLE_SIZE) {
          throw new HpackException(
              "dynamic table size " + size + " is over the " + TABLE_SIZE + " allowed");
        }
        tableLimit = size;
        evict(0);
        continue;
      } else { // literal not added (0000) or never indexed (0001)
        f = literal(block, pos, 4);
      }
      fieldSeen = true;
      listSize += f.name.length() + f.value.length() + 32L;
      if (listSize > maxListSize) {
        throw new HpackException("header list larger than " + maxListSize + " bytes");
      }
      out.add(f);
    }
    return out;
  }

  private Field literal(byte[] block, int[] pos, int prefix) throws HpackException {
    int index = integer(block, pos, prefix);
    String name = index == 0 ? string(block, pos) : entry(index).name;
    return new Field(name, string(block, pos));
  }

  private Field entry(int index) throws HpackException {
    if (index >= 1 && index <= STATIC.length) {
      return new Field(STATIC[index - 1][0], STATIC[index - 1][1]);
    }
    int d = index - STATIC.length - 1;
    if (index < 1 || d >= dynamic.size()) {
      throw new HpackException("header table index " + index + " does not exist");
    }
    var it = dynamic.iterator();
    for (int i = 0; i < d; i++) {
      it.next();
    }
    return it.next();
  }

  private void add(Field f) {
    int size = f.name.length() + f.value.length() + 32;
    if (size > tableLimit) {
      dynamic.clear();
      tableSize = 0;
      return;
    }
    evict(size);
    dynamic.addFirst(f);
    tableSize += size;
  }

  private void evict(int room) {
    while (tableSize + room > tableLimit && !dynamic.isEmpty()) {
      Field old = dynamic.removeLast();
      tableSize -= old.name.length() + old.value.length() + 32;
    }
  }

  /** An integer with an N-bit prefix (RFC 7541 5.1), at most 2^31-1. */
  static int integer(byte[] block, int[] pos, int prefix) throws HpackException {
    int max = (1 << prefix) - 1;
    int value = block[pos[0]++] & max;
    if (value < max) {
      return value;
    }
    long v = value;
    for (int shift = 0; ; shift += 7) {
      if (pos[0] >= block.length) {
        throw new HpackException("header block ends inside an integer");
      }
      int b = block[pos[0]++] & 0xff;
      v += (long) (b & 0x7f) << shift;
      if (v > Integer.MAX_VALUE || shift > 28) {
        throw new HpackException("integer in header block is too large");
      }
      if ((b & 0x80) == 0) {
        return (int) v;
      }
    }
  }

  private String string(byte[] block, int[] pos) throws HpackException {
    if (pos[0] >= block.length) {
      throw new HpackException("header block ends before a string");
    }
    boolean huffman = (block[pos[0]] & 0x80) != 0;
    int len = integer(block, pos, 7);
    if (len > block.length - pos[0]) {
      throw new HpackException("string of " + len + " bytes runs past the header block");
    }
    String s = huffman
        ? Huffman.decode(block, pos[0], len)
        : new String(block, pos[0], len, StandardCharsets.ISO_8859_1);
    pos[0] += len;
    return s;
  }

  /** Encodes fields as literals with new names: "never indexed" for secrets, "not indexed" for the rest. */
  static byte[] encode(List<Field> fields, String secretName) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    for (Field f : fields) {
      out.write(f.name.equals(secretName) ? 0x10 : 0x00);
      writeString(out, f.name);
      writeString(out, f.value);
    }
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) { // never a control character or a byte a peer could read otherwise
        throw new IllegalArgumentException("header text holds character " + (int) c + " at " + i);
      }
    }
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    writeInteger(out, 0x00, 7, b.length);
    out.write(b, 0, b.length);
  }

  static void writeInteger(ByteArrayOutputStream out, int flags, int prefix, int value) {
    int max = (1 << prefix) - 1;
    if (value < max) {
      out.write(flags | value);
      return;
    }
    out.write(flags | max);
    value -= max;
    while (value >= 0x80) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }
}
