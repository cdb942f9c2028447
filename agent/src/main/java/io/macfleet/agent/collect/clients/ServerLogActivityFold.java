package io.macfleet.agent.collect.clients;

import com.google.protobuf.Timestamp;
import io.macfleet.agent.collect.parse.ServerLogLine;
import io.macfleet.agent.collect.parse.ServerLogParser;
import io.macfleet.proto.v1.PathRequests;
import io.macfleet.proto.v1.ServerLogActivity;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of server.log lines says: requests per method and path, 5xx, the most requests that were certainly
 * outstanding at once (implicit concurrency: each request spans its latency, queueing included, back from the second
 * Gin logged it in; requests under a second cannot be placed and are not counted), and the truncation warnings with
 * the largest limit and prompt they name.
 */
public final class ServerLogActivityFold {
  public static final int MAX_PATHS = 32;

  private ServerLogActivityFold() {}

  /** Spans kept from earlier reads, so that a request logged now counts those still running beside it. */
  public static final class Recent {
    static final int MAX = 10_000;
    static final long KEEP_NANOS =
        3_600_000_000_000L; // an hour: longer requests are not an Ollama's

    private final java.util.ArrayDeque<long[]> spans = new java.util.ArrayDeque<>();

    void add(List<long[]> fresh) {
      fresh.forEach(spans::addLast);
      long newest = spans.stream().mapToLong(x -> x[1]).max().orElse(0);
      spans.removeIf(x -> x[1] < newest - KEEP_NANOS);
      while (spans.size() > MAX) {
        spans.removeFirst();
      }
    }
  }

  /** One read on its own, as if nothing came before it. */
  public static ServerLogActivity of(List<String> lines, ZoneId zone, String note) {
    return of(lines, zone, note, new Recent());
  }

  /**
   * The activity of this read's lines; {@code recent} holds the spans of earlier reads (and gets this read's), since
   * Gin logs a request when it ends: requests in flight together are often logged in different reads.
   */
  public static ServerLogActivity of(List<String> lines, ZoneId zone, String note, Recent recent) {
    ServerLogActivity.Builder b = ServerLogActivity.newBuilder();
    Map<String, PathRequests.Builder> paths = new TreeMap<>();
    List<long[]> spans = new ArrayList<>(); // {startNanos, endNanos}
    Instant first = null;
    Instant last = null;
    for (String line : lines) {
      var parsed = ServerLogParser.parse(line);
      if (parsed.isEmpty()) {
        if (ServerLogParser.looksLikeRequest(line)) {
          b.setUnparsedLines(b.getUnparsedLines() + 1);
        }
        continue;
      }
      if (parsed.get() instanceof ServerLogLine.Request r) {
        Instant end = instant(r.end(), zone);
        first = first == null || end.isBefore(first) ? end : first;
        last = last == null || end.isAfter(last) ? end : last;
        boolean serverError = r.status() >= 500;
        b.setRequests(b.getRequests() + 1);
        if (serverError) {
          b.setServerErrors(b.getServerErrors() + 1);
        }
        // whoever can reach Ollama writes these: bounded and printable before they travel
        String method = ClientInventory.printable(r.method(), 16);
        String path = ClientInventory.printable(r.path(), 256);
        String key = method + " " + path;
        if (paths.containsKey(key) || paths.size() < MAX_PATHS) {
          PathRequests.Builder p = paths.computeIfAbsent(
              key, k -> PathRequests.newBuilder().setMethod(method).setPath(path));
          p.setRequests(p.getRequests() + 1);
          if (serverError) {
            p.setServerErrors(p.getServerErrors() + 1);
          }
        }
        // Gin stamps the second the request ended in, so its true end is up to a second later: only
        // the part
        // of its span that holds wherever in that second it ended is counted (a lower bound, never
        // a guess)
        long endNanos = end.getEpochSecond() * 1_000_000_000L;
        long latestStart = endNanos + 1_000_000_000L - r.latency().toNanos();
        if (latestStart < endNanos) {
          spans.add(new long[] {latestStart, endNanos});
        }
      } else if (parsed.get() instanceof ServerLogLine.Truncation t) {
        if (t.messages()) {
          b.setTruncatedMessages(b.getTruncatedMessages() + 1);
        } else {
          b.setTruncatedPrompts(b.getTruncatedPrompts() + 1);
        }
        if (t.limit() != null && t.limit() > b.getContextLimit()) {
          b.setContextLimit(t.limit());
        }
        if (t.prompt() != null && t.prompt() > b.getLargestPromptTokens()) {
          b.setLargestPromptTokens(t.prompt());
        }
      }
    }
    b.setMaxInFlight(mostAtOnce(List.copyOf(recent.spans), spans));
    recent.add(spans);
    paths.values().stream()
        .map(PathRequests.Builder::build)
        .sorted(Comparator.comparingInt(PathRequests::getRequests).reversed())
        .forEach(b::addPaths);
    if (first != null) {
      b.setFirst(ts(first)).setLast(ts(last));
    }
    return b.setNote(note == null ? "" : ClientInventory.printable(note, 512)).build();
  }

  /**
   * The most spans covering one instant within a fresh span (earlier spans count beside them, never alone); a span
   * ending exactly when another starts does not overlap it.
   */
  static int mostAtOnce(List<long[]> earlier, List<long[]> fresh) {
    List<long[]> edges = new ArrayList<>((earlier.size() + fresh.size()) * 2);
    for (long[] s : earlier) {
      edges.add(new long[] {s[0], +1, 0});
      edges.add(new long[] {s[1], -1, 0});
    }
    for (long[] s : fresh) {
      edges.add(new long[] {s[0], +1, 1});
      edges.add(new long[] {s[1], -1, 1});
    }
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int freshNow = 0;
    int most = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      freshNow += e[2] == 1 ? (int) e[1] : 0;
      if (freshNow > 0) {
        most = Math.max(most, now);
      }
    }
    return most;
  }

  private static Instant instant(LocalDateTime t, ZoneId zone) {
    return t.atZone(zone).toInstant();
  }

  private static Timestamp ts(Instant t) {
    return io.macfleet.shared.ProtoTime.of(t);
  }
}
