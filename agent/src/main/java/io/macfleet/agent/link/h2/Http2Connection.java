package io.macfleet.agent.link.h2;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 client connection (RFC 9113) on a connected socket: the frames a gRPC client needs, flow control both
 * ways, PING keepalive and GOAWAY. One reader thread parses what the peer sends and hands each stream's headers and
 * data to its listener; writers share one lock. Everything the peer sends is bounded: frame size, header list size,
 * receive windows. Any breach closes the connection with a status that says what the peer did.
 */
final class Http2Connection implements AutoCloseable {
  /** A stream's events, called on the reader thread: they must not block. */
  interface StreamListener {
    void onHeaders(List<Hpack.Field> fields, boolean endStream);

    void onData(byte[] data, int off, int len, boolean endStream);

    /** The peer reset the stream (RST_STREAM) with this HTTP/2 error code. */
    void onReset(int errorCode);

    /** The connection ended (or went away before this stream) without the stream ending first. */
    void onConnectionClosed(CallStatus why);
  }

  /** One open stream: its id and what it may still send (the peer's window for it). */
  static final class Stream {
    final int id;
    final StreamListener listener;
    long sendWindow;
    int unacked;
    boolean localEnded;

    Stream(int id, StreamListener listener, long sendWindow) {
      this.id = id;
      this.listener = listener;
      this.sendWindow = sendWindow;
    }
  }

  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final int DATA = 0,
      HEADERS = 1,
      PRIORITY = 2,
      RST_STREAM = 3,
      SETTINGS = 4,
      PUSH_PROMISE = 5;
  static final int PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
  static final int END_STREAM = 0x1,
      ACK = 0x1,
      END_HEADERS = 0x4,
      PADDED = 0x8,
      PRIORITY_FLAG = 0x20;
  static final int NO_ERROR = 0, PROTOCOL_ERROR = 1, FLOW_CONTROL_ERROR = 3, FRAME_SIZE_ERROR = 6;
  static final int REFUSED_STREAM = 7, CANCEL = 8, COMPRESSION_ERROR = 9, ENHANCE_YOUR_CALM = 11;

  /** The largest frame this side accepts (HTTP/2's default, never raised). */
  static final int MAX_FRAME = 16_384;
  /** The receive window of the connection and of each stream: room for a few reports in flight. */
  static final int WINDOW = 1 << 20;
  /** The largest header list this side decodes (a status message included). */
  static final int MAX_HEADER_LIST = 64 * 1024;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String peer;
  private final Object writeLock = new Object();
  private final Object openLock = new Object();
  private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
  private final Hpack hpack = new Hpack(MAX_HEADER_LIST);
  private final ScheduledFuture<?> keepalive;
  private final long keepaliveTimeoutNanos;

  // guarded by this: windows and the peer's settings
  private long connSendWindow = 65_535;
  private long peerInitialWindow = 65_535;
  private int peerMaxFrame = 16_384;
  private int connUnacked;

  private int nextStreamId = 1; // guarded by openLock
  private volatile boolean closed;
  private volatile boolean goingAway;
  private volatile CallStatus closedWith;
  private volatile long pingSentAt; // 0 when no PING is waiting for its ACK
  private volatile boolean settingsSeen;

  /**
   * Starts HTTP/2 on a connected socket (TLS already negotiated "h2", or plaintext with prior knowledge): writes
   * the preface and this side's settings and starts the reader. KEEPALIVE pings the peer that often; no ACK within
   * KEEPALIVE_TIMEOUT closes the connection.
   */
  Http2Connection(
      Socket socket,
      String peer,
      ScheduledExecutorService timer,
      long keepaliveMillis,
      long keepaliveTimeoutMillis)
      throws IOException {
    this.socket = socket;
    this.peer = peer;
    this.in =
        new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 16_384 + 9));
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16_384 + 9);
    this.keepaliveTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(keepaliveTimeoutMillis);
    byte[] settings = new byte[18];
    setting(settings, 0, 0x2, 0); // ENABLE_PUSH off
    setting(settings, 6, 0x4, WINDOW); // INITIAL_WINDOW_SIZE
    setting(settings, 12, 0x6, MAX_HEADER_LIST); // MAX_HEADER_LIST_SIZE
    synchronized (writeLock) {
      out.write(PREFACE);
      frame(SETTINGS, 0, 0, settings, 0, settings.length);
      frame(WINDOW_UPDATE, 0, 0, int32(WINDOW - 65_535), 0, 4);
      out.flush();
    }
    // scheduled before the reader starts: a peer that writes at once (an SSH banner, say) may close
    // this
    // connection before the constructor returns, and close() cancels the keepalive
    this.keepalive = timer.scheduleWithFixedDelay(
        this::keepalive, keepaliveMillis, keepaliveMillis, TimeUnit.MILLISECONDS);
    Thread reader = new Thread(this::readLoop, "macfleet-link-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Whether new streams may start here: open, not told to go away, stream ids left. */
  boolean usable() {
    return !closed && !goingAway && nextStreamId < (1 << 30);
  }

  String peer() {
    return peer;
  }

  /** Opens a stream and sends its headers (END_STREAM too when there is no body). */
  Stream open(List<Hpack.Field> headers, String secretName, StreamListener listener)
      throws IOException {
    byte[] block = Hpack.encode(headers, secretName);
    synchronized (openLock) { // ids must reach the wire in increasing order
      if (closed) {
        throw new IOException(closedWith.description());
      }
      if (!usable()) {
        throw new IOException("connection to " + peer + " is closing");
      }
      Stream s;
      synchronized (this) {
        s = new Stream(nextStreamId, listener, peerInitialWindow);
      }
      nextStreamId += 2;
      streams.put(s.id, s);
      if (closed
          && streams.remove(s.id, s)) { // closed meanwhile: its close may not have seen this stream
        throw new IOException(closedWith.description());
      }
      int first = Math.min(block.length, peerMaxFrame());
      try {
        synchronized (writeLock) {
          frame(HEADERS, first == block.length ? END_HEADERS : 0, s.id, block, 0, first);
          for (int off = first; off < block.length; ) {
            int n = Math.min(block.length - off, peerMaxFrame());
            frame(CONTINUATION, off + n == block.length ? END_HEADERS : 0, s.id, block, off, n);
            off += n;
          }
          out.flush();
        }
      } catch (IOException e) {
        throw closedOr(e);
      }
      return s;
    }
  }

  /**
   * Sends DATA on a stream within the peer's windows, waiting for WINDOW_UPDATE when they are spent, until
   * DEADLINE_NANOS (System.nanoTime; 0 for none).
   */
  void send(Stream s, byte[] data, boolean endStream, long deadlineNanos) throws IOException {
    int off = 0;
    do {
      int chunk;
      synchronized (this) {
        while (!closed
            && streams.get(s.id) == s
            && data.length > off
            && Math.min(connSendWindow, s.sendWindow) <= 0) {
          long left = deadlineNanos == 0 ? 1_000_000_000L : deadlineNanos - System.nanoTime();
          if (left <= 0) { // a peer that never gives room must not hold a call past its deadline
            throw new java.net.SocketTimeoutException(
                "the controller gave no room to send within the call's deadline");
          }
          try {
            wait(Math.max(1, Math.min(1000, left / 1_000_000)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(
                "interrupted waiting for the controller's window");
          }
        }
        if (closed) {
          throw new IOException("connection to " + peer + " closed: " + closedWith);
        }
        if (streams.get(s.id) != s) {
          throw new IOException("stream " + s.id + " has ended");
        }
        chunk = (int) Math.min(
            data.length - off, Math.min(Math.min(connSendWindow, s.sendWindow), peerMaxFrame));
        connSendWindow -= chunk;
        s.sendWindow -= chunk;
        if (endStream && off + chunk == data.length) {
          s.localEnded = true;
        }
      }
      try {
        synchronized (writeLock) {
          int flags = endStream && off + chunk == data.length ? END_STREAM : 0;
          frame(DATA, flags, s.id, data, off, chunk);
          out.flush();
        }
      } catch (IOException e) {
        throw closedOr(e);
      }
      off += chunk;
    } while (off < data.length);
  }

  /** Ends a stream from this side: RST_STREAM with CODE, and it is forgotten. */
  void reset(Stream s, int code) {
    if (streams.remove(s.id, s) && !closed) {
      try {
        synchronized (writeLock) {
          frame(RST_STREAM, 0, s.id, int32(code), 0, 4);
          out.flush();
        }
      } catch (IOException e) {
        close(CallStatus.Code.UNAVAILABLE.status("could not write to " + peer, e));
      }
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** A write failed: when the connection has closed meanwhile, its reason says more than "Socket closed". */
  private IOException closedOr(IOException e) {
    CallStatus why = closedWith;
    return why == null ? e : new IOException(why.description(), e);
  }

  private synchronized int peerMaxFrame() {
    return peerMaxFrame;
  }

  private void readLoop() {
    try {
      byte[] header = new byte[9];
      byte[] payload = new byte[MAX_FRAME];
      while (!closed) {
        in.readFully(header);
        int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        int type = header[3] & 0xff;
        int flags = header[4] & 0xff;
        int stream = int32(header, 5) & 0x7fffffff;
        if (!settingsSeen && type != SETTINGS) {
          throw new ProtocolError(
              PROTOCOL_ERROR,
              "does not speak HTTP/2 (gRPC): it began with \""
                  + CallStatus.printable(new String(header, StandardCharsets.ISO_8859_1)) + "\"");
        }
        if (length > MAX_FRAME) {
          throw new ProtocolError(
              FRAME_SIZE_ERROR, "sent a frame of " + length + " bytes, over " + MAX_FRAME);
        }
        in.readFully(payload, 0, length);
        onFrame(type, flags, stream, payload, length);
      }
    } catch (ProtocolError e) {
      goAway(e.code, e.getMessage());
      close(CallStatus.Code.UNAVAILABLE.status("controller " + peer + " " + e.getMessage()));
    } catch (HpackException e) {
      goAway(COMPRESSION_ERROR, e.getMessage());
      close(CallStatus.Code.UNAVAILABLE.status(
          "controller " + peer + " sent headers that cannot be decoded: " + e.getMessage()));
    } catch (EOFException e) {
      close(CallStatus.Code.UNAVAILABLE.status("controller " + peer + " closed the connection", e));
    } catch (IOException | RuntimeException e) {
      close(CallStatus.Code.UNAVAILABLE.status(
          "connection to controller " + peer + " lost: " + e, e));
    }
  }

  private void onFrame(int type, int flags, int id, byte[] p, int length)
      throws IOException, HpackException {
    switch (type) {
      case DATA -> {
        requireStream(id, type);
        int off = (flags & PADDED) != 0 ? 1 : 0;
        int len = length - unpadded(flags, p, length);
        received(id, length);
        Stream s = streams.get(id);
        if (s != null) {
          boolean end = (flags & END_STREAM) != 0;
          if (end) {
            ended(s);
          }
          s.listener.onData(p, off, len, end);
        }
      }
      case HEADERS -> {
        requireStream(id, type);
        int off = (flags & PADDED) != 0 ? 1 : 0;
        int len = length - unpadded(flags, p, length);
        if ((flags & PRIORITY_FLAG) != 0) {
          if (len < 5) {
            throw new ProtocolError(
                FRAME_SIZE_ERROR, "sent a HEADERS frame too short for its priority");
          }
          off += 5;
          len -= 5;
        }
        byte[] block = java.util.Arrays.copyOfRange(p, off, off + len);
        if ((flags & END_HEADERS) == 0) {
          block = continuation(id, block);
        }
        List<Hpack.Field> fields = hpack.decode(block); // always: the table must follow the peer's
        Stream s = streams.get(id);
        if (s != null) {
          boolean end = (flags & END_STREAM) != 0;
          if (end) {
            ended(s);
          }
          s.listener.onHeaders(fields, end);
        }
      }
      case PRIORITY -> {}
      case RST_STREAM -> {
        requireStream(id, type);
        if (length != 4) {
          throw new ProtocolError(FRAME_SIZE_ERROR, "sent a RST_STREAM of " + length + " bytes");
        }
        Stream s = streams.remove(id);
        if (s != null) {
          s.listener.onReset(int32(p, 0));
        }
        synchronized (this) {
          notifyAll();
        }
      }
      case SETTINGS -> onSettings(flags, id, p, length);
      case PUSH_PROMISE ->
        throw new ProtocolError(PROTOCOL_ERROR, "pushed a stream though push is off");
      case PING -> {
        if (length != 8 || id != 0) {
          throw new ProtocolError(FRAME_SIZE_ERROR, "sent a malformed PING");
        }
        if ((flags & ACK) != 0) {
          pingSentAt = 0;
        } else {
          synchronized (writeLock) {
            frame(PING, ACK, 0, p, 0, 8);
            out.flush();
          }
        }
      }
      case GOAWAY -> {
        if (length < 8 || id != 0) {
          throw new ProtocolError(FRAME_SIZE_ERROR, "sent a malformed GOAWAY");
        }
        onGoAway(
            int32(p, 0) & 0x7fffffff,
            int32(p, 4),
            new String(p, 8, length - 8, StandardCharsets.UTF_8));
      }
      case WINDOW_UPDATE -> {
        if (length != 4) {
          throw new ProtocolError(FRAME_SIZE_ERROR, "sent a WINDOW_UPDATE of " + length + " bytes");
        }
        int increment = int32(p, 0) & 0x7fffffff;
        synchronized (this) {
          if (id == 0) {
            connSendWindow += increment;
            if (increment == 0 || connSendWindow > Integer.MAX_VALUE) {
              throw new ProtocolError(FLOW_CONTROL_ERROR, "sent a bad connection WINDOW_UPDATE");
            }
          } else {
            Stream s = streams.get(id);
            if (s != null) {
              s.sendWindow += increment;
              if (s.sendWindow > Integer.MAX_VALUE) {
                throw new ProtocolError(FLOW_CONTROL_ERROR, "overflowed a stream's window");
              }
            }
          }
          notifyAll();
        }
      }
      case CONTINUATION ->
        throw new ProtocolError(PROTOCOL_ERROR, "sent CONTINUATION without HEADERS");
      default -> {} // unknown frame types are ignored (RFC 9113 5.5)
    }
  }

  /** Frames on a stream id: never stream 0, never an even id (this side starts every stream, push is off). */
  private static void requireStream(int id, int type) throws ProtocolError {
    if (id == 0 || id % 2 == 0) {
      throw new ProtocolError(PROTOCOL_ERROR, "sent frame type " + type + " on stream " + id);
    }
  }

  /** The bytes a PADDED frame spends on padding (its length byte and the padding); 0 when not padded. */
  private static int unpadded(int flags, byte[] p, int length) throws ProtocolError {
    if ((flags & PADDED) == 0) {
      return 0;
    }
    if (length < 1 || (p[0] & 0xff) >= length) {
      throw new ProtocolError(PROTOCOL_ERROR, "sent padding longer than its frame");
    }
    return 1 + (p[0] & 0xff);
  }

  /** Reads the CONTINUATION frames that finish a header block, bounded like the block itself. */
  private byte[] continuation(int id, byte[] first) throws IOException {
    java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream(first.length * 2);
    block.write(first, 0, first.length);
    byte[] header = new byte[9];
    while (true) {
      in.readFully(header);
      int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
      int type = header[3] & 0xff;
      if (type != CONTINUATION || (int32(header, 5) & 0x7fffffff) != id) {
        throw new ProtocolError(
            PROTOCOL_ERROR, "interrupted a header block with frame type " + type);
      }
      if (length > MAX_FRAME || block.size() + length > MAX_HEADER_LIST) {
        throw new ProtocolError(
            ENHANCE_YOUR_CALM, "sent a header block over " + MAX_HEADER_LIST + " bytes");
      }
      byte[] chunk = new byte[length];
      in.readFully(chunk);
      block.write(chunk, 0, length);
      if ((header[4] & END_HEADERS) != 0) {
        return block.toByteArray();
      }
    }
  }

  private void onSettings(int flags, int id, byte[] p, int length) throws IOException {
    if (id != 0 || length % 6 != 0 || ((flags & ACK) != 0 && length != 0)) {
      throw new ProtocolError(FRAME_SIZE_ERROR, "sent a malformed SETTINGS frame");
    }
    settingsSeen = true;
    if ((flags & ACK) != 0) {
      return;
    }
    synchronized (this) {
      for (int i = 0; i < length; i += 6) {
        int key = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        long value = int32(p, i + 2) & 0xffffffffL;
        if (key == 0x4) { // INITIAL_WINDOW_SIZE: moves every open stream's window by the difference
          if (value > Integer.MAX_VALUE) {
            throw new ProtocolError(FLOW_CONTROL_ERROR, "set a window over 2^31-1");
          }
          long delta = value - peerInitialWindow;
          peerInitialWindow = value;
          for (Stream s : streams.values()) {
            s.sendWindow += delta;
          }
        } else if (key == 0x5) {
          if (value < 16_384 || value > 16_777_215) {
            throw new ProtocolError(PROTOCOL_ERROR, "set a max frame size of " + value);
          }
          peerMaxFrame = (int) value;
        }
      }
      notifyAll();
    }
    synchronized (writeLock) {
      frame(SETTINGS, ACK, 0, p, 0, 0);
      out.flush();
    }
  }

  private void onGoAway(int lastId, int code, String debug) {
    goingAway = true;
    CallStatus why = CallStatus.Code.UNAVAILABLE.status("controller " + peer
        + " is going away (GOAWAY " + code + (debug.isEmpty() ? "" : ": " + debug) + ")");
    for (Stream s : streams.values()) {
      if (s.id > lastId && streams.remove(s.id, s)) {
        s.listener.onConnectionClosed(why);
      }
    }
    if (streams.isEmpty()) {
      close(why);
    }
  }

  /** Counts received DATA against the windows, giving the peer room back once half of a window is used. */
  private void received(int id, int length) throws IOException {
    if (length == 0) {
      return;
    }
    int connUpdate = 0;
    int streamUpdate = 0;
    Stream s = streams.get(id);
    synchronized (this) {
      connUnacked += length;
      if (connUnacked > WINDOW) {
        throw new ProtocolError(FLOW_CONTROL_ERROR, "sent past the connection's window");
      }
      if (connUnacked >= WINDOW / 2) {
        connUpdate = connUnacked;
        connUnacked = 0;
      }
      if (s != null) {
        s.unacked += length;
        if (s.unacked > WINDOW) {
          throw new ProtocolError(FLOW_CONTROL_ERROR, "sent past stream " + id + "'s window");
        }
        if (s.unacked >= WINDOW / 2) {
          streamUpdate = s.unacked;
          s.unacked = 0;
        }
      }
    }
    if (connUpdate > 0 || streamUpdate > 0) {
      synchronized (writeLock) {
        if (connUpdate > 0) {
          frame(WINDOW_UPDATE, 0, 0, int32(connUpdate), 0, 4);
        }
        if (streamUpdate > 0) {
          frame(WINDOW_UPDATE, 0, id, int32(streamUpdate), 0, 4);
        }
        out.flush();
      }
    }
  }

  /** The peer ended its side of a stream: it is done here too once this side has ended (or gives up sending). */
  private void ended(Stream s) {
    boolean local;
    synchronized (this) {
      local = s.localEnded;
    }
    if (local) {
      streams.remove(s.id, s);
    } else {
      reset(s, CANCEL); // the answer is complete: nothing more this side sends would be read
    }
    if (goingAway && streams.isEmpty()) {
      close(CallStatus.Code.UNAVAILABLE.status("controller " + peer + " went away"));
    }
  }

  private void keepalive() {
    long sent = pingSentAt;
    if (sent != 0) {
      if (System.nanoTime() - sent > keepaliveTimeoutNanos) {
        close(CallStatus.Code.UNAVAILABLE.status(
            "controller " + peer + " did not answer a keepalive PING within "
                + TimeUnit.NANOSECONDS.toSeconds(keepaliveTimeoutNanos) + " s"));
      }
      return;
    }
    pingSentAt = System.nanoTime() | 1;
    try {
      synchronized (writeLock) {
        frame(PING, 0, 0, new byte[8], 0, 8);
        out.flush();
      }
    } catch (IOException e) {
      close(CallStatus.Code.UNAVAILABLE.status("could not write to controller " + peer, e));
    }
  }

  private void goAway(int code, String why) {
    try {
      byte[] debug = CallStatus.printable(why).getBytes(StandardCharsets.UTF_8);
      byte[] p = new byte[8 + Math.min(debug.length, 256)];
      System.arraycopy(debug, 0, p, 8, p.length - 8);
      System.arraycopy(int32(code), 0, p, 4, 4);
      synchronized (writeLock) {
        frame(GOAWAY, 0, 0, p, 0, p.length);
        out.flush();
      }
    } catch (IOException ignored) {
      // the connection is being closed anyway
    }
  }

  /** Closes the connection; every open stream hears WHY. */
  void close(CallStatus why) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closedWith = why;
      notifyAll();
    }
    keepalive.cancel(false);
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
    for (Stream s : streams.values()) {
      if (streams.remove(s.id, s)) {
        s.listener.onConnectionClosed(why);
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      goAway(NO_ERROR, "");
    }
    close(CallStatus.Code.CANCELLED.status("the agent closed its connection to " + peer));
  }

  private void frame(int type, int flags, int stream, byte[] payload, int off, int len)
      throws IOException {
    byte[] h = new byte[9];
    h[0] = (byte) (len >>> 16);
    h[1] = (byte) (len >>> 8);
    h[2] = (byte) len;
    h[3] = (byte) type;
    h[4] = (byte) flags;
    System.arraycopy(int32(stream), 0, h, 5, 4);
    out.write(h);
    out.write(payload, off, len);
  }

  private static void setting(byte[] b, int at, int key, int value) {
    b[at] = (byte) (key >>> 8);
    b[at + 1] = (byte) key;
    System.arraycopy(int32(value), 0, b, at + 2, 4);
  }

  static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static int int32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  /** A breach of HTTP/2 by the peer: the connection ends with this error code. */
  static final class ProtocolError extends IOException {
    final int code;

    ProtocolError(int code, String message) {
      super(message);
      this.code = code;
    }
  }
}
