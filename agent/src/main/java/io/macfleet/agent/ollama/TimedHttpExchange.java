package io.macfleet.agent.ollama;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 request on its own socket, read back line by line with the time each line's last byte came off
 * the socket: the agent's one HTTP client for Ollama. The probe measures milliseconds: java.net.http puts a few
 * thread hand-offs between the socket and the caller (about 1.5 ms on a busy 2-core machine), and it is ~290
 * classes the daemon need not load, so the agent speaks the small part of HTTP that Ollama's endpoints need
 * itself. The connection is opened before the clock starts, so TTFT is the server's answer time, not TCP's.
 */
public final class TimedHttpExchange implements Closeable {
  public static final int MAX_LINE_BYTES = 4 << 20;
  private static final int MAX_HEADER_BYTES = 64 << 10;

  /** A body line and the monotonic time its last byte arrived. */
  public record TimedLine(String text, long arrivedNanos) {}

  /** The read deadline passed: before the first byte of the status line, or later. */
  public static final class DeadlineException extends IOException {
    DeadlineException(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final byte[] buf = new byte[16 << 10];
  private int pos;
  private int lim;
  private long lastReadNanos;
  private long deadlineNanos = Long.MAX_VALUE;
  private int status;
  private String reason = "";
  private long contentLength = -1;
  private boolean chunked;
  private long chunkLeft;
  private boolean bodyDone;

  private TimedHttpExchange(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects (not timed by the caller) to the URI's host and port; https uses the JVM's trust store. */
  public static TimedHttpExchange connect(URI uri, int connectTimeoutMs) throws IOException {
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = "https".equals(scheme);
    if (!tls && !"http".equals(scheme)) {
      throw new IllegalArgumentException("Ollama URL must be http:// or https://, not " + uri);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMs);
      if (tls) {
        SSLSocket t = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
            .createSocket(s, uri.getHost(), port, true);
        SSLParameters params = t.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(
            "HTTPS"); // plain SSLSockets do not check the host name
        t.setSSLParameters(params);
        t.startHandshake();
        s = t;
      }
      return new TimedHttpExchange(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Every later read fails with DeadlineException once this monotonic time passes. */
  public void deadline(long nanos) {
    this.deadlineNanos = nanos;
  }

  /** Writes a POST in one go; returns once it is on the socket. */
  public void post(URI uri, String contentType, byte[] body) throws IOException {
    send("POST", uri, contentType, body);
  }

  /** Writes a GET; returns once it is on the socket. */
  public void get(URI uri) throws IOException {
    send("GET", uri, null, new byte[0]);
  }

  private void send(String method, URI uri, String contentType, byte[] body) throws IOException {
    String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      target += "?" + uri.getRawQuery();
    }
    String hostHeader = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    byte[] head = (method + " " + target + " HTTP/1.1\r\nHost: " + hostHeader
            + (contentType == null ? "" : "\r\nContent-Type: " + contentType)
            + "\r\nAccept: application/x-ndjson, application/json\r\nUser-Agent: macfleet-agent"
            + (method.equals("GET") ? "" : "\r\nContent-Length: " + body.length)
            + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    OutputStream out = socket.getOutputStream();
    out.write(all);
    out.flush();
  }

  /** Reads the status line and headers (skipping 1xx); returns the status code. */
  public int readHead() throws IOException {
    while (true) {
      String statusLine = headerLine();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x response: " + cut(statusLine));
      }
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad status line: " + cut(statusLine));
      }
      reason = parts.length > 2 ? parts[2] : "";
      int headerBytes = 0;
      String h;
      while (!(h = headerLine()).isEmpty()) {
        headerBytes += h.length();
        if (headerBytes > MAX_HEADER_BYTES) {
          throw new IOException("response headers over " + MAX_HEADER_BYTES + " bytes");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        if (name.equals("transfer-encoding")
            && value.toLowerCase(Locale.ROOT).contains("chunked")) {
          chunked = true;
        } else if (name.equals("content-length")) {
          try {
            contentLength = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + cut(value));
          }
        }
      }
      if (status >= 200 || status == 101) {
        bodyDone = status == 204 || status == 304 || (!chunked && contentLength == 0);
        return status;
      }
    }
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** The next body line (without its newline), or null at the end of the body. */
  public TimedLine nextLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    while (true) {
      int b = bodyByte();
      if (b < 0) {
        return line.size() == 0
            ? null
            : new TimedLine(line.toString(StandardCharsets.UTF_8), lastReadNanos);
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new TimedLine(new String(bytes, 0, n, StandardCharsets.UTF_8), lastReadNanos);
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new IOException("a response line over " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
  }

  /** Up to max bytes of the body as text, for error messages. */
  public String readBodyText(int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while (out.size() < max && (b = bodyByte()) >= 0) {
      out.write(b);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private int bodyByte() throws IOException {
    if (bodyDone) {
      return -1;
    }
    if (chunked) {
      if (chunkLeft == 0) {
        String sizeLine = headerLine();
        if (sizeLine.isEmpty()) {
          sizeLine = headerLine(); // the CRLF that closes the previous chunk
        }
        int semi = sizeLine.indexOf(';');
        try {
          chunkLeft =
              Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size: " + cut(sizeLine));
        }
        if (chunkLeft == 0) {
          while (!headerLine().isEmpty()) {
            // trailers: none that matter here
          }
          bodyDone = true;
          return -1;
        }
      }
      int b = rawByte();
      if (b < 0) {
        throw new java.io.EOFException("the connection closed inside a chunk");
      }
      chunkLeft--;
      return b;
    }
    if (contentLength >= 0) {
      if (contentLength == 0) {
        bodyDone = true;
        return -1;
      }
      int b = rawByte();
      if (b < 0) {
        throw new java.io.EOFException(
            "the connection closed " + contentLength + " bytes short of Content-Length");
      }
      contentLength--;
      return b;
    }
    int b = rawByte(); // neither chunked nor sized: the body runs to the end of the connection
    if (b < 0) {
      bodyDone = true;
    }
    return b;
  }

  private String headerLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = rawByte()) >= 0 && b != '\n') {
      if (sb.length() >= 8192) {
        throw new IOException("a header line over 8192 bytes");
      }
      sb.append((char) b);
    }
    if (b < 0 && sb.length() == 0) {
      throw new java.io.EOFException("the connection closed before the response was complete");
    }
    int n = sb.length();
    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
  }

  private int rawByte() throws IOException {
    if (pos == lim && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  private boolean fill() throws IOException {
    long left = deadlineNanos == Long.MAX_VALUE ? 0 : deadlineNanos - System.nanoTime();
    if (deadlineNanos != Long.MAX_VALUE && left <= 0) {
      throw new DeadlineException("deadline passed");
    }
    socket.setSoTimeout(
        deadlineNanos == Long.MAX_VALUE
            ? 0
            : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
    int n;
    try {
      n = in.read(buf);
    } catch (SocketTimeoutException e) {
      throw new DeadlineException("deadline passed");
    }
    if (n <= 0) {
      return false;
    }
    lastReadNanos = System.nanoTime();
    pos = 0;
    lim = n;
    return true;
  }

  private static String cut(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
