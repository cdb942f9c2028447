package io.macfleet.agent.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The probe's own HTTP/1.1 reading, against a socket that answers with exact bytes, pieces and pauses. */
class TimedHttpExchangeTest {

  /** Accepts one connection, reads the request head and body, then writes each piece with a pause between. */
  private static CompletableFuture<String> serve(ServerSocket ss, long pauseMs, String... pieces) {
    return serve(ss, pauseMs, new long[pieces.length], pieces);
  }

  /** As above, noting in {@code sentAt} when each piece started on its way (System.nanoTime). */
  private static CompletableFuture<String> serve(
      ServerSocket ss, long pauseMs, long[] sentAt, String... pieces) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = ss.accept()) {
        String request = readRequest(s.getInputStream());
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < pieces.length; i++) {
          String p = pieces[i];
          sentAt[i] = System.nanoTime();
          out.write(p.getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(pauseMs);
        }
        return request;
      } catch (IOException | InterruptedException e) {
        return "server failed: " + e;
      }
    });
  }

  private static String readRequest(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().contains("\r\n\r\n")) {
      sb.append((char) in.read());
    }
    int len = Integer.parseInt(sb.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
    sb.append(new String(in.readNBytes(len), StandardCharsets.UTF_8));
    return sb.toString();
  }

  private static List<TimedHttpExchange.TimedLine> lines(TimedHttpExchange x) throws IOException {
    List<TimedHttpExchange.TimedLine> out = new ArrayList<>();
    TimedHttpExchange.TimedLine l;
    while ((l = x.nextLine()) != null) {
      out.add(l);
    }
    return out;
  }

  private static URI uri(ServerSocket ss) {
    return URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/api/generate");
  }

  @Test
  void chunkedLinesSplitAcrossChunksAndReadsKeepTheirArrivalTimes() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long[] sentAt = new long[4];
      CompletableFuture<String> req = serve(
          ss,
          30,
          sentAt,
          "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n",
          "6\r\n{\"a\":1\r\n",
          "2;ext=1\r\n}\n\r\n",
          "8\r\n{\"b\":2}\n\r\n0\r\n\r\n");
      try (TimedHttpExchange x = TimedHttpExchange.connect(uri(ss), 2000)) {
        x.post(uri(ss), "application/json", "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(x.readHead()).isEqualTo(200);
        List<TimedHttpExchange.TimedLine> got = lines(x);
        assertThat(got)
            .extracting(TimedHttpExchange.TimedLine::text)
            .containsExactly("{\"a\":1}", "{\"b\":2}");
        // Each line is stamped when the read that completed it returned, never earlier: the first
        // line by the
        // third piece, the second by the fourth, sent 30 ms later. Only that floor is certain; a
        // loaded CI
        // machine once read the third piece late and put the stamps 14 ms apart.
        assertThat(got.get(0).arrivedNanos()).isGreaterThanOrEqualTo(sentAt[2]);
        assertThat(got.get(1).arrivedNanos()).isGreaterThanOrEqualTo(sentAt[3]);
      }
      assertThat(req.get())
          .startsWith("POST /api/generate HTTP/1.1\r\n")
          .contains("Content-Length: 13")
          .endsWith("{\"model\":\"m\"}");
    }
  }

  @Test
  void contentLengthBodiesAndErrorStatusesAreRead() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serve(
          ss,
          0,
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 31\r\n\r\n"
              + "{\"error\":\"model 'x' not found\"}");
      try (TimedHttpExchange x = TimedHttpExchange.connect(uri(ss), 2000)) {
        x.post(uri(ss), "application/json", new byte[0]);
        assertThat(x.readHead()).isEqualTo(404);
        assertThat(x.reason()).isEqualTo("Not Found");
        assertThat(x.readBodyText(4096)).isEqualTo("{\"error\":\"model 'x' not found\"}");
      }
    }
  }

  @Test
  void garbageAndTruncationAreErrorsNotHangs() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serve(ss, 0, "SSH-2.0-OpenSSH_9.6\r\n\r\n");
      try (TimedHttpExchange x = TimedHttpExchange.connect(uri(ss), 2000)) {
        x.post(uri(ss), "application/json", new byte[0]);
        assertThatThrownBy(x::readHead)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("not an HTTP/1.x");
      }
      serve(ss, 0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
      try (TimedHttpExchange x = TimedHttpExchange.connect(uri(ss), 2000)) {
        x.post(uri(ss), "application/json", new byte[0]);
        x.readHead();
        assertThatThrownBy(x::nextLine).hasMessageContaining("bad chunk size");
      }
      serve(ss, 0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"half\":");
      try (TimedHttpExchange x = TimedHttpExchange.connect(uri(ss), 2000)) {
        x.post(uri(ss), "application/json", new byte[0]);
        x.readHead();
        assertThatThrownBy(x::nextLine)
            .isInstanceOf(java.io.EOFException.class)
            .hasMessageContaining("inside a chunk");
      }
    }
  }

  @Test
  void aReadDeadlineEndsASilentServer() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serve(ss, 2000, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      try (TimedHttpExchange x = TimedHttpExchange.connect(uri(ss), 2000)) {
        long start = System.nanoTime();
        x.deadline(start + 300_000_000L);
        x.post(uri(ss), "application/json", new byte[0]);
        x.readHead();
        assertThatThrownBy(x::nextLine).isInstanceOf(TimedHttpExchange.DeadlineException.class);
        assertThat((System.nanoTime() - start) / 1e6).isBetween(250.0, 1500.0);
      }
    }
  }

  @Test
  void onlyHttpAndHttpsAreSpoken() {
    assertThatThrownBy(() -> TimedHttpExchange.connect(URI.create("ftp://127.0.0.1:1/x"), 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http:// or https://");
  }
}
