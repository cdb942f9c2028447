package io.macfleet.agent.link.h2;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One gRPC call on an HTTP/2 stream (the gRPC-over-HTTP/2 protocol): length-prefixed protobuf messages both ways,
 * the status from the trailers (or from a trailers-only answer, or from the HTTP status when there is no gRPC
 * status at all). Messages from the controller are bounded in size; the listener hears them, and then exactly one
 * close, on the link's event thread, never on the socket's reader.
 */
final class GrpcCall<Req extends MessageLite, Resp>
    implements Http2Connection.StreamListener, CallSender<Req> {
  private final Parser<Resp> parser;
  private final CallListener<Resp> listener;
  private final Executor events;
  private final int maxMessage;
  private final long deadlineNanos; // System.nanoTime when sending gives up; 0: never
  private final AtomicReference<CallStatus> ended =
      new AtomicReference<>(); // how it ended; null while open
  private volatile Http2Connection connection;
  private volatile Http2Connection.Stream stream;
  private boolean headersSeen;
  private byte[] pending = new byte[0];
  private int pendingLength;

  GrpcCall(
      Parser<Resp> parser,
      CallListener<Resp> listener,
      Executor events,
      int maxMessage,
      long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    this.parser = parser;
    this.listener = listener;
    this.events = events;
    this.maxMessage = maxMessage;
  }

  /** Opens the stream with the call's headers. */
  synchronized void start(Http2Connection c, List<Hpack.Field> headers, String secretName)
      throws IOException {
    this.connection = c;
    this.stream = c.open(headers, secretName, this);
  }

  @Override
  public synchronized void send(Req message) {
    requireOpen();
    write(framed(message), false);
  }

  /** Sends one message and ends this side: a unary call's whole request. */
  synchronized void sendLast(Req message) {
    requireOpen();
    write(framed(message), true);
  }

  /** A message as gRPC frames it: not compressed (0), its length (4 bytes, big-endian), its bytes. */
  private static byte[] framed(MessageLite message) {
    byte[] body = message.toByteArray();
    byte[] framed = new byte[5 + body.length];
    System.arraycopy(Http2Connection.int32(body.length), 0, framed, 1, 4);
    System.arraycopy(body, 0, framed, 5, body.length);
    return framed;
  }

  @Override
  public synchronized void halfClose() {
    requireOpen();
    write(new byte[0], true);
  }

  @Override
  public void cancel(String why) {
    if (finish(CallStatus.Code.CANCELLED.status(why)) && stream != null) {
      connection.reset(stream, Http2Connection.CANCEL);
    }
  }

  /** Ends the call from this side with STATUS (a deadline, a message over the limit), resetting the stream. */
  void abort(CallStatus status) {
    if (finish(status) && stream != null) {
      connection.reset(stream, Http2Connection.CANCEL);
    }
  }

  /** Throws how the call ended, once it has: a send after a lost connection says why it was lost. */
  private void requireOpen() {
    CallStatus why = ended.get();
    if (why != null) {
      throw (why.ok() ? CallStatus.Code.CANCELLED.status("the call has ended") : why).asException();
    }
  }

  private void write(byte[] data, boolean end) {
    try {
      connection.send(stream, data, end, deadlineNanos);
    } catch (java.net.SocketTimeoutException e) {
      CallStatus s = CallStatus.Code.DEADLINE_EXCEEDED.status(e.getMessage());
      abort(s);
      throw s.asException();
    } catch (IOException e) {
      CallStatus s = CallStatus.Code.UNAVAILABLE.status(
          "could not send to the controller: " + e.getMessage(), e);
      finish(s);
      throw s.asException();
    }
  }

  @Override
  public void onHeaders(List<Hpack.Field> fields, boolean endStream) {
    if (!headersSeen) {
      headersSeen = true;
      String status = value(fields, ":status");
      String grpcStatus = value(fields, "grpc-status");
      if (!"200".equals(status)) {
        abort(grpcStatus != null && endStream ? trailerStatus(fields) : httpStatus(status));
        return;
      }
      String type = value(fields, "content-type");
      if (type == null || !type.startsWith("application/grpc")) {
        abort(CallStatus.Code.UNKNOWN.status(
            "the controller answered with content-type " + type + ", not gRPC"));
        return;
      }
      if (endStream) { // trailers-only: an answer with no message
        finish(trailerStatus(fields));
      }
      return;
    }
    if (!endStream) {
      abort(CallStatus.Code.INTERNAL.status("the controller sent headers in the middle of a call"));
      return;
    }
    CallStatus s = trailerStatus(fields);
    if (s.ok() && pendingLength > 0) {
      s = CallStatus.Code.INTERNAL.status("the controller ended the call inside a message");
    }
    finish(s);
  }

  @Override
  public void onData(byte[] data, int off, int len, boolean endStream) {
    if (ended.get() != null) {
      return;
    }
    if (!headersSeen) {
      abort(CallStatus.Code.INTERNAL.status("the controller sent data before headers"));
      return;
    }
    if (pendingLength + len > pending.length) {
      // at most one unfinished message (already checked against the limit) and one frame
      int cap = maxMessage + 5 + Http2Connection.MAX_FRAME;
      pending = java.util.Arrays.copyOf(
          pending, Math.max(pendingLength + len, Math.min(2 * pending.length, cap)));
    }
    System.arraycopy(data, off, pending, pendingLength, len);
    pendingLength += len;
    int at = 0;
    while (pendingLength - at >= 5) {
      int flag = pending[at] & 0xff;
      long size = Http2Connection.int32(pending, at + 1) & 0xffffffffL;
      if (size > maxMessage) {
        abort(CallStatus.Code.RESOURCE_EXHAUSTED.status("the controller sent a message of " + size
            + " bytes, over this agent's " + maxMessage + "-byte limit"));
        return;
      }
      if (flag != 0) {
        abort(CallStatus.Code.INTERNAL.status(
            "the controller sent a compressed message; none was asked for"));
        return;
      }
      if (pendingLength - at - 5 < size) {
        break;
      }
      Resp message;
      try {
        message = parser.parseFrom(pending, at + 5, (int) size);
      } catch (InvalidProtocolBufferException e) {
        abort(CallStatus.Code.INTERNAL.status(
            "the controller sent a malformed message: " + e.getMessage()));
        return;
      }
      at += 5 + (int) size;
      events.execute(() -> listener.onMessage(message)); // before the close, which queues behind it
    }
    System.arraycopy(pending, at, pending, 0, pendingLength - at);
    pendingLength -= at;
    if (endStream) {
      abort(CallStatus.Code.INTERNAL.status("the controller ended the call without a status"));
    }
  }

  @Override
  public void onReset(int errorCode) {
    finish(
        switch (errorCode) {
          case Http2Connection.CANCEL ->
            CallStatus.Code.CANCELLED.status("the controller cancelled the call");
          case Http2Connection.REFUSED_STREAM ->
            CallStatus.Code.UNAVAILABLE.status("the controller refused the call");
          case Http2Connection.ENHANCE_YOUR_CALM ->
            CallStatus.Code.RESOURCE_EXHAUSTED.status(
                "the controller asked this agent to calm down (ENHANCE_YOUR_CALM)");
          default ->
            CallStatus.Code.INTERNAL.status(
                "the controller reset the call (HTTP/2 error " + errorCode + ")");
        });
  }

  @Override
  public void onConnectionClosed(CallStatus why) {
    finish(why);
  }

  /** Closes the call once: the listener hears STATUS after every message already handed to it. */
  private boolean finish(CallStatus status) {
    if (!ended.compareAndSet(null, status)) {
      return false;
    }
    try {
      events.execute(() -> listener.onClose(status));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      listener.onClose(
          status); // the link is closing and its event thread has stopped: tell the listener here
    }
    return true;
  }

  private static String value(List<Hpack.Field> fields, String name) {
    for (Hpack.Field f : fields) {
      if (f.name().equals(name)) {
        return f.value();
      }
    }
    return null;
  }

  /** The status in grpc-status and grpc-message (percent-encoded UTF-8); UNKNOWN when there is none. */
  static CallStatus trailerStatus(List<Hpack.Field> fields) {
    String code = value(fields, "grpc-status");
    String message = value(fields, "grpc-message");
    if (message != null) {
      try {
        message = URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // keep it as sent: a bad escape is still more telling than nothing
      }
    }
    if (code == null || !code.matches("\\d{1,2}")) {
      return CallStatus.Code.UNKNOWN.status(
          "the controller's answer carried no valid grpc-status (" + code + ")");
    }
    return CallStatus.Code.of(Integer.parseInt(code)).status(message);
  }

  /** gRPC's mapping of an HTTP status without a gRPC status (a proxy's error page, say). */
  static CallStatus httpStatus(String status) {
    CallStatus.Code code = switch (status == null ? "" : status) {
      case "400" -> CallStatus.Code.INTERNAL;
      case "401" -> CallStatus.Code.UNAUTHENTICATED;
      case "403" -> CallStatus.Code.PERMISSION_DENIED;
      case "404" -> CallStatus.Code.UNIMPLEMENTED;
      case "429", "502", "503", "504" -> CallStatus.Code.UNAVAILABLE;
      default -> CallStatus.Code.UNKNOWN;
    };
    return code.status("the controller answered HTTP " + status + " without a gRPC status");
  }
}
