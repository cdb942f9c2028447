package io.macfleet.agent.link.h2;

/**
 * HPACK's Huffman code (RFC 7541, Appendix B), decoding only: the agent sends its own headers as plain literals,
 * but a server may Huffman-encode anything it sends. The code is canonical (codes are handed out in order of
 * length, then symbol), so the table of code lengths alone defines it.
 */
final class Huffman {
  private Huffman() {}

  /** Code length in bits of each symbol 0..255 and of EOS (256), RFC 7541 Appendix B. */
  private static final String LENGTHS =
      "NX]]]]]]]Y_]]_]]]]]]]]_]]]]]]]]]GKKMNGILKKILIGGGFFFGGGGGGGHIPGMKNGHHHHHHHHHHHHHHHHHHHH"
          + "HHIHINTNOGPFGFGFGGGFHHGGGFGHGFFGHHHHHPLON]UWUUWWWXWXXXXXYXYYWXYXXXXVWXWXXYWVUWWXXVXWWY"
          + "VWXXVVWVXWXXUWWWXWWX[[UTWXWZ[[[\\\\[YZTV[\\\\[\\YVV[[]\\\\\\UYUVWVVXWWZZYY[X[\\[[\\\\\\\\\\]\\\\\\\\\\[_";

  private static final int MAX_LENGTH = 30;
  private static final int EOS = 256;
  /** The first code of each length, how many codes have that length, and where they start in SYMBOLS. */
  private static final int[] FIRST = new int[MAX_LENGTH + 1];

  private static final int[] COUNT = new int[MAX_LENGTH + 1];
  private static final int[] START = new int[MAX_LENGTH + 1];
  /** The symbols in code order: by length, then by value. */
  private static final int[] SYMBOLS = new int[257];

  static {
    if (LENGTHS.length() != 257) {
      throw new ExceptionInInitializerError(
          "HPACK Huffman table has " + LENGTHS.length() + " lengths");
    }
    for (int s = 0; s < 257; s++) {
      COUNT[length(s)]++;
    }
    int code = 0;
    int index = 0;
    for (int len = 1; len <= MAX_LENGTH; len++) {
      FIRST[len] = code;
      START[len] = index;
      index += COUNT[len];
      code = (code + COUNT[len]) << 1;
    }
    int[] next = START.clone();
    for (int s = 0; s < 257; s++) {
      SYMBOLS[next[length(s)]++] = s;
    }
  }

  static int length(int symbol) {
    return LENGTHS.charAt(symbol) - 'A';
  }

  /** The code of a symbol, right-aligned in an int (for tests against the RFC's table). */
  static int code(int symbol) {
    int len = length(symbol);
    for (int i = START[len]; i < START[len] + COUNT[len]; i++) {
      if (SYMBOLS[i] == symbol) {
        return FIRST[len] + i - START[len];
      }
    }
    throw new IllegalArgumentException("no symbol " + symbol);
  }

  /** Decodes LEN bytes at OFF; octets become chars one for one (header values are ASCII or Latin-1). */
  static String decode(byte[] in, int off, int len) throws HpackException {
    StringBuilder out = new StringBuilder(len * 8 / 5);
    int code = 0;
    int bits = 0;
    for (int i = off; i < off + len; i++) {
      for (int b = 7; b >= 0; b--) {
        code = (code << 1) | ((in[i] >> b) & 1);
        bits++;
        int k = code - FIRST[bits];
        if (COUNT[bits] > 0 && k >= 0 && k < COUNT[bits]) {
          int symbol = SYMBOLS[START[bits] + k];
          if (symbol == EOS) {
            throw new HpackException("Huffman string holds the end-of-string symbol");
          }
          out.append((char) symbol);
          code = 0;
          bits = 0;
        } else if (bits >= MAX_LENGTH) {
          throw new HpackException("Huffman string holds no valid code");
        }
      }
    }
    // what is left must be padding: fewer than 8 bits, all ones (a prefix of EOS)
    if (bits > 7 || code != (1 << bits) - 1) {
      throw new HpackException("Huffman string ends in bad padding");
    }
    return out.toString();
  }
}
