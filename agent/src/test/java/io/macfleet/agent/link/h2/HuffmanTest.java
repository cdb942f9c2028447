package io.macfleet.agent.link.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HPACK's Huffman code rebuilt from its lengths, checked against RFC 7541's own table and examples. */
class HuffmanTest {
  private static String decode(String hex) throws HpackException {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    return Huffman.decode(b, 0, b.length);
  }

  @Test
  void codesMatchAppendixB() {
    // a few rows of RFC 7541 Appendix B: symbol, code (hex, right-aligned), length
    assertThat(Huffman.code('0')).isEqualTo(0x0);
    assertThat(Huffman.length('0')).isEqualTo(5);
    assertThat(Huffman.code('a')).isEqualTo(0x3);
    assertThat(Huffman.code(' ')).isEqualTo(0x14);
    assertThat(Huffman.length(' ')).isEqualTo(6);
    assertThat(Huffman.code('z')).isEqualTo(0x7b);
    assertThat(Huffman.code(0)).isEqualTo(0x1ff8);
    assertThat(Huffman.length(0)).isEqualTo(13);
    assertThat(Huffman.code(255)).isEqualTo(0x3ffffee);
    assertThat(Huffman.length(255)).isEqualTo(26);
    assertThat(Huffman.code(256)).isEqualTo(0x3fffffff); // EOS
    assertThat(Huffman.length(256)).isEqualTo(30);
  }

  @Test
  void decodesTheRfcExamples() throws HpackException {
    // RFC 7541 C.4.1 to C.4.3 and C.6.1
    assertThat(decode("f1e3 c2e5 f23a 6ba0 ab90 f4ff")).isEqualTo("www.example.com");
    assertThat(decode("a8eb 1064 9cbf")).isEqualTo("no-cache");
    assertThat(decode("25a8 49e9 5ba9 7d7f")).isEqualTo("custom-key");
    assertThat(decode("25a8 49e9 5bb8 e8b4 bf")).isEqualTo("custom-value");
    assertThat(decode("6402")).isEqualTo("302");
    assertThat(decode("aec3 771a 4b")).isEqualTo("private");
    assertThat(decode("9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"))
        .isEqualTo("https://www.example.com");
  }

  @Test
  void refusesBadPaddingAndTheEndOfStringSymbol() {
    assertThatThrownBy(() -> decode("f1e3 c2e5 f23a 6ba0 ab90 f400"))
        .hasMessageContaining("padding");
    assertThatThrownBy(() -> decode("ffff ffff"))
        .isInstanceOf(HpackException.class); // EOS, 30 ones
    assertThatThrownBy(() -> decode("a8eb 1064 9cbf ff"))
        .hasMessageContaining("padding"); // 8+ bits of padding
  }
}
