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

/**
 * A bounded on-disk queue of reports, one file per sequence number, delivered oldest first. Every
 * report passes through it, so order survives restarts and a dead controller. When full, the oldest
 * report is dropped and counted (the count rides in the next snapshot), never the newest.
 */
public final class ReportSpool {
  private static final String SUFFIX = ".report";

  private final Path dir;
  private final Path rejectedDir;
  private final int maxReports;
  private final TreeMap<Long, Path> index = new TreeMap<>();
  private long dropped;

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
    Path droppedFile = dir.resolve("dropped");
    if (Files.exists(droppedFile)) {
      try {
        dropped = Long.parseLong(Files.readString(droppedFile, StandardCharsets.US_ASCII).strip());
      } catch (NumberFormatException e) {
        dropped = 0;
      }
    }
  }

  public synchronized void append(ReportRequest report) throws IOException {
    Path f = dir.resolve(String.format("%020d%s", report.getSeq(), SUFFIX));
    SecureFiles.writeAtomically(f, report.toByteArray(), true);
    index.put(report.getSeq(), f);
    while (index.size() > maxReports) {
      var oldest = index.pollFirstEntry();
      Files.deleteIfExists(oldest.getValue());
      dropped++;
      SecureFiles.writeString(dir.resolve("dropped"), Long.toString(dropped), false);
    }
    notifyAll();
  }

  /** The oldest report, waiting up to timeoutMillis for one. A damaged file is quarantined, not retried. */
  public synchronized Optional<ReportRequest> peek(long timeoutMillis) throws InterruptedException, IOException {
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
        return Optional.of(ReportRequest.parseFrom(Files.readAllBytes(first.getValue())));
      } catch (IOException e) {
        index.remove(first.getKey());
        quarantine(first.getValue(), "unreadable: " + e.getMessage());
      }
    }
  }

  /** The controller has it (stored or duplicate): forget it. */
  public synchronized void remove(long seq) throws IOException {
    Path f = index.remove(seq);
    if (f != null) {
      Files.deleteIfExists(f);
    }
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
