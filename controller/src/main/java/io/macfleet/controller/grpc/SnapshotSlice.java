package io.macfleet.controller.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.ReportRequest;
import java.io.IOException;
import java.util.Arrays;

/**
 * Finds a report's snapshot, as the agent encoded it, inside an encoded {@link AgentMessage}, so the controller can
 * store those bytes instead of encoding the parsed snapshot again (at thousands of reports a second that was a
 * large share of what the network threads allocated). Only an unambiguous slice is returned: when the report or
 * its snapshot occurs more than once, protobuf merges the occurrences on parsing, no single slice is the parsed
 * value, and the caller encodes the parsed snapshot instead.
 */
public final class SnapshotSlice {
  // a tag is the field number shifted past the 3-bit wire type
  private static final int REPORT_TAG =
      AgentMessage.REPORT_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int SNAPSHOT_TAG =
      ReportRequest.SNAPSHOT_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private SnapshotSlice() {}

  /** The snapshot's bytes, or null when the message carries no report, no snapshot, or either more than once. */
  public static byte[] of(byte[] agentMessage) {
    try {
      long report = onlyField(agentMessage, 0, agentMessage.length, REPORT_TAG);
      if (report < 0) {
        return null;
      }
      int reportOffset = (int) (report >>> 32);
      long snapshot = onlyField(agentMessage, reportOffset, (int) report, SNAPSHOT_TAG);
      if (snapshot < 0) {
        return null;
      }
      int from = (int) (snapshot >>> 32);
      return Arrays.copyOfRange(agentMessage, from, from + (int) snapshot);
    } catch (IOException e) {
      return null; // not well-formed after all: let the caller's own parse decide
    }
  }

  /**
   * Where the one occurrence of a length-delimited field lies in {@code buf[offset, offset + length)}: its payload's
   * offset in the high 32 bits and its length in the low 32, or -1 when it is absent, repeated, or of another wire
   * type.
   */
  private static long onlyField(byte[] buf, int offset, int length, int tag) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(buf, offset, length);
    int fieldNumber = WireFormat.getTagFieldNumber(tag);
    long found = -1;
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      if (t == tag) {
        if (found >= 0) {
          return -1;
        }
        int size = in.readRawVarint32();
        found = ((long) (offset + in.getTotalBytesRead()) << 32) | size;
        in.skipRawBytes(size);
      } else if (WireFormat.getTagFieldNumber(t) == fieldNumber) {
        return -1;
      } else if (!in.skipField(t)) {
        return -1; // an end-group tag: no agent sends groups
      }
    }
    return found;
  }
}
