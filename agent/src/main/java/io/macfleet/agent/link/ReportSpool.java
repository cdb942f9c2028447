package io.macfleet.agent.link;

import io.macfleet.proto.v1.ReportRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded on-disk queue of reports, one file per sequence number, delivered oldest first. Every
 * report passes through it, so order survives restarts and a dead controller. When full, the oldest
 * report is dropped and counted (the count rides in the next snapshot), never the newest.
 *
 * <p>Each file is a frame: {@code MFS1}, the CRC-32C of the report's bytes (4 bytes, big-endian), then the bytes.
 * A file whose checksum does not match (a flipped bit on disk) is set aside in {@code rejected/}, never sent: the
 * controller cannot tell a damaged report from a real one. Files written before frames existed (no magic) are read
 * as they are.
 */
public final class ReportSpool {
  private static final Logger log = LoggerFactory.getLogger(ReportSpool.class);
  private static final String SUFFIX = ".report";
  private static final byte[] MAGIC = {'M', 'F', 'S', '1'};
  /** The highest seq the controller has acknowledged, kept for the hello (see AgentHello.last_acked_seq). */
  static final String ACKED = "acked";

  private final Path dir;
  private final Path rejectedDir;
  private final int maxReports;
  private final TreeMap<Long, Path> index = new TreeMap<>();
  private long dropped;
  private long lastAcked;

  public ReportSpool(Path dir, int maxReports) throws IOException {
    if (maxReports < 1) {
      throw new IllegalArgumentException("spool size must be at least 1");
    }
    this.dir = dir;
    this.rejectedDir = dir.resolve("rejected");
    this.maxReports = maxReports;
    Files.createDirectories(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        try {
          index.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), f);
        } catch (NumberFormatException e) {
          quarantine(f, "unexpected file name");
        }
      }
    }
    lastAcked = readCount(dir.resolve(ACKED));
    Path droppedFile = dir.resolve("dropped");
    if (Files.exists(droppedFile)) {
      try {
        dropped = Long.parseLong(
            Files.readString(droppedFile, StandardCharsets.US_ASCII).strip());
      } catch (NumberFormatException e) {
        dropped = 0;
      }
    }
  }

  public synchronized void append(ReportRequest report) throws IOException {
    Path f = dir.resolve(String.format("%020d%s", report.getSeq(), SUFFIX));
    SecureFiles.writeAtomically(f, frame(report.toByteArray()), true);
    index.put(report.getSeq(), f);
    int droppedNow = 0;
    long firstDropped = 0;
    while (index.size() > maxReports) {
      var oldest = index.pollFirstEntry();
      Files.deleteIfExists(oldest.getValue());
      firstDropped = droppedNow == 0 ? oldest.getKey() : firstDropped;
      droppedNow++;
      dropped++;
    }
    if (droppedNow > 0) {
      SecureFiles.writeString(dir.resolve("dropped"), Long.toString(dropped), false);
      log.warn(
          "spool full ({} reports): dropped {} oldest report(s) from seq {}, {} dropped in all; the controller "
              + "has been unreachable for a while (raise run --spool-max to keep more)",
          maxReports,
          droppedNow,
          firstDropped,
          dropped);
    }
    notifyAll();
  }

  /** The oldest report, waiting up to timeoutMillis for one. A damaged file is quarantined, not retried. */
  public synchronized Optional<ReportRequest> peek(long timeoutMillis)
      throws InterruptedException, IOException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      while (index.isEmpty()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return Optional.empty();
        }
        wait(left);
      }
      var first = index.firstEntry();
      try {
        return Optional.of(ReportRequest.parseFrom(unframe(Files.readAllBytes(first.getValue()))));
      } catch (IOException e) {
        index.remove(first.getKey());
        quarantine(first.getValue(), "unreadable: " + e.getMessage());
      }
    }
  }

  /** The controller has it (stored or duplicate): forget it, and remember the highest seq acknowledged. */
  public synchronized void remove(long seq) throws IOException {
    Path f = index.remove(seq);
    if (f != null) {
      Files.deleteIfExists(f);
    }
    if (seq > lastAcked) {
      lastAcked = seq;
      SecureFiles.writeString(dir.resolve(ACKED), Long.toString(seq), false);
    }
  }

  /** The highest seq the controller has acknowledged since this host enrolled; 0 before the first. */
  public synchronized long lastAcked() {
    return lastAcked;
  }

  /** A new enrollment starts a new history on the controller: acknowledgements of the old one no longer count. */
  public static void forgetAcknowledgements(Path spoolDir) throws IOException {
    Files.deleteIfExists(spoolDir.resolve(ACKED));
  }

  private static long readCount(Path f) {
    try {
      return Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return 0; // none yet, or damaged: claim nothing rather than a false gap
    }
  }

  /**
   * Renumbers every spooled report to follow {@code held}, the highest seq the controller holds for this host, in
   * the same order, and sets the counter after the last; returns how many were renumbered. Used when the
   * controller's numbers and the agent's have parted (a damaged counter, a hostile report under this host's key):
   * without it every report would be a duplicate, or refused as too far ahead, for ever. Reports move one by one,
   * lowest first when moving down and highest first when moving up, so no file is overwritten before it moved.
   */
  public synchronized int renumberAfter(long held, SequenceCounter counter) throws IOException {
    java.util.List<java.util.Map.Entry<Long, Path>> entries =
        new java.util.ArrayList<>(index.entrySet());
    boolean down = !entries.isEmpty() && entries.get(0).getKey() > held + 1;
    if (!down) {
      java.util.Collections.reverse(entries);
    }
    int n = entries.size();
    int moved = 0;
    for (int i = 0; i < n; i++) {
      var e = entries.get(i);
      long target = held + 1 + (down ? i : n - 1 - i);
      ReportRequest report;
      try {
        report = ReportRequest.parseFrom(unframe(Files.readAllBytes(e.getValue())));
      } catch (IOException damaged) {
        index.remove(e.getKey());
        quarantine(e.getValue(), "unreadable: " + damaged.getMessage());
        continue;
      }
      if (target == e.getKey()) {
        continue;
      }
      Path f = dir.resolve(String.format("%020d%s", target, SUFFIX));
      SecureFiles.writeAtomically(
          f, frame(report.toBuilder().setSeq(target).build().toByteArray()), true);
      Files.deleteIfExists(e.getValue());
      index.remove(e.getKey());
      index.put(target, f);
      moved++;
    }
    counter.resetTo(held + n);
    lastAcked = held;
    SecureFiles.writeString(dir.resolve(ACKED), Long.toString(held), false);
    notifyAll();
    return moved;
  }

  /** The controller refused it as malformed: keep it aside for a human, deliver the rest. */
  public synchronized void reject(long seq, String reason) throws IOException {
    Path f = index.remove(seq);
    if (f != null) {
      quarantine(f, reason);
    }
  }

  private void quarantine(Path f, String reason) throws IOException {
    Files.createDirectories(rejectedDir);
    Path target = rejectedDir.resolve(f.getFileName());
    Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(rejectedDir.resolve(f.getFileName() + ".reason"), reason + "\n");
    log.warn(
        "set spool file {} aside in {}: {}; the reports after it are delivered",
        f.getFileName(),
        rejectedDir,
        reason);
  }

  /** The bytes as stored: magic, CRC-32C, report. */
  static byte[] frame(byte[] report) {
    CRC32C crc = new CRC32C();
    crc.update(report);
    return java.nio.ByteBuffer.allocate(MAGIC.length + 4 + report.length)
        .put(MAGIC)
        .putInt((int) crc.getValue())
        .put(report)
        .array();
  }

  /** The report's bytes from a stored file; a frame whose checksum does not match is refused. */
  static byte[] unframe(byte[] stored) throws IOException {
    if (stored.length < MAGIC.length + 4
        || !java.util.Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return stored; // written before frames (a report's first byte is never 'M')
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(stored);
    b.position(MAGIC.length);
    int expected = b.getInt();
    CRC32C crc = new CRC32C();
    crc.update(stored, MAGIC.length + 4, stored.length - MAGIC.length - 4);
    if ((int) crc.getValue() != expected) {
      throw new IOException("checksum mismatch (the file was damaged on disk)");
    }
    return java.util.Arrays.copyOfRange(stored, MAGIC.length + 4, stored.length);
  }

  public synchronized int size() {
    return index.size();
  }

  public synchronized long highestSeq() {
    return index.isEmpty() ? 0 : index.lastKey();
  }

  public synchronized long dropped() {
    return dropped;
  }
}
