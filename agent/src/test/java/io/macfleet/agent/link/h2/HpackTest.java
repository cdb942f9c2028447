package io.macfleet.agent.link.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header decoder on RFC 7541's example header blocks, and on blocks made to break it. */
class HpackTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static List<Hpack.Field> fields(String... nameValues) {
    List<Hpack.Field> out = new java.util.ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      out.add(new Hpack.Field(nameValues[i], nameValues[i + 1]));
    }
    return out;
  }

  @Test
  void decodesTheRfcRequestsThroughOneDynamicTable() throws HpackException {
    for (boolean huffman : new boolean[] {false, true}) {
      Hpack h = new Hpack(Http2Connection.MAX_HEADER_LIST);
      // RFC 7541 C.3.1-C.3.3 (plain literals) and C.4.1-C.4.3 (the same requests, Huffman-coded)
      String first = huffman
          ? "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"
          : "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
      String second =
          huffman ? "8286 84be 5886 a8eb 1064 9cbf" : "8286 84be 5808 6e6f 2d63 6163 6865";
      String third = huffman
          ? "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"
          : "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65";
      assertThat(h.decode(hex(first)))
          .containsExactlyElementsOf(fields(
              ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"));
      assertThat(h.decode(hex(second)))
          .containsExactlyElementsOf(fields(
              ":method",
              "GET",
              ":scheme",
              "http",
              ":path",
              "/",
              ":authority",
              "www.example.com",
              "cache-control",
              "no-cache"));
      assertThat(h.decode(hex(third)))
          .containsExactlyElementsOf(fields(
              ":method",
              "GET",
              ":scheme",
              "https",
              ":path",
              "/index.html",
              ":authority",
              "www.example.com",
              "custom-key",
              "custom-value"));
    }
  }

  @Test
  void aTableSizeUpdateEvictsAndCannotExceedWhatThisSideAllows() throws HpackException {
    Hpack h = new Hpack(Http2Connection.MAX_HEADER_LIST);
    h.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")); // adds :authority at 62
    assertThat(h.decode(hex("be")))
        .containsExactly(new Hpack.Field(":authority", "www.example.com"));
    assertThatThrownBy(() -> h.decode(hex("20 be"))) // size 0 empties the table: 62 is gone
        .hasMessageContaining("index 62 does not exist");
    assertThatThrownBy(() -> h.decode(hex("3fe2 1f"))) // 4097
        .hasMessageContaining("over the 4096 allowed");
    assertThatThrownBy(() -> h.decode(hex("82 20"))).hasMessageContaining("after a header field");
  }

  @Test
  void hostileBlocksAreRefusedNotObeyed() {
    Hpack h = new Hpack(200);
    assertThatThrownBy(() -> h.decode(hex("80"))).hasMessageContaining("index 0");
    assertThatThrownBy(() -> h.decode(hex("ff ffff ffff 7f"))).hasMessageContaining("too large");
    assertThatThrownBy(() -> h.decode(hex("ff 80"))).hasMessageContaining("ends inside an integer");
    assertThatThrownBy(() -> h.decode(hex("00 05 6162"))).hasMessageContaining("runs past");
    // a name and value that fit the block but not the list limit
    StringBuilder block =
        new StringBuilder("00 03 616263 7f 82 01"); // value of 127 + 130 = 257 bytes
    block.append(" 61".repeat(257));
    assertThatThrownBy(() -> h.decode(hex(block.toString())))
        .hasMessageContaining("larger than 200");
  }

  @Test
  void encodesLiteralsTheDecoderReadsBackWithTheSecretNeverIndexed() throws HpackException {
    List<Hpack.Field> sent = fields(
        ":method",
        "POST",
        ":path",
        "/macfleet.v1.AgentService/Report",
        "authorization",
        "Bearer s3cret",
        "user-agent",
        "x".repeat(300));
    byte[] block = Hpack.encode(sent, "authorization");
    assertThat(new Hpack(Http2Connection.MAX_HEADER_LIST).decode(block))
        .containsExactlyElementsOf(sent);
    int at = indexOf(block, "authorization".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(block[at - 2]).as("never-indexed literal").isEqualTo((byte) 0x10);
    assertThat(block[0]).as("not-indexed literal").isEqualTo((byte) 0x00);
  }

  @Test
  void refusesToEncodeAValueThatCouldSplitAHeader() {
    assertThatThrownBy(
            () -> Hpack.encode(fields("authorization", "Bearer a\r\nx: y"), "authorization"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i <= in.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
