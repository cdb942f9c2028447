package io.macfleet.controller.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.interchange.RecordWriter;
import io.macfleet.controller.interchange.Records;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Gate C's observations (client_observations): written with the report that carried them, read by time. */
final class ClientRepository {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientRepository() {}

  static void insert(Connection c, String hostId, Records.Clients x) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO client_observations (host_id, at, "
            + "connections, requests, server_errors, max_in_flight, truncated_prompts, truncated_messages, "
            + "context_limit, largest_prompt, clients, paths) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, hostId);
      ps.setObject(2, x.at().atOffset(ZoneOffset.UTC));
      ps.setInt(3, x.connections());
      ps.setInt(4, x.requests());
      ps.setInt(5, x.serverErrors());
      // -1: no server.log was read, so concurrency was not measured (kept apart from 0 requests at
      // once)
      ps.setInt(6, x.maxInFlight() == null ? -1 : x.maxInFlight());
      ps.setInt(7, x.truncatedPrompts());
      ps.setInt(8, x.truncatedMessages());
      ps.setInt(9, x.contextLimit() == null ? 0 : x.contextLimit());
      ps.setInt(10, x.largestPromptTokens() == null ? 0 : x.largestPromptTokens());
      ps.setString(11, callers(x.callers()));
      ps.setString(12, paths(x.paths()));
      ps.executeUpdate();
    }
  }

  /** Every observation since {@code since}, oldest first, for hosts in {@code names} (id → name). */
  static void since(
      Connection c, OffsetDateTime since, Map<String, String> names, Consumer<Records.Clients> sink)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT host_id, at, connections, requests, "
        + "server_errors, max_in_flight, truncated_prompts, truncated_messages, context_limit, largest_prompt, "
        + "clients, paths FROM client_observations WHERE at >= ? ORDER BY at, id")) {
      ps.setObject(1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String host = names.get(rs.getString(1));
          if (host == null) {
            continue;
          }
          int inFlight = rs.getInt(6);
          sink.accept(new Records.Clients(
              host,
              rs.getObject(2, OffsetDateTime.class).toInstant(),
              rs.getInt(3),
              rs.getInt(4),
              rs.getInt(5),
              inFlight < 0 ? null : inFlight,
              rs.getInt(7),
              rs.getInt(8),
              rs.getInt(9) == 0 ? null : rs.getInt(9),
              rs.getInt(10) == 0 ? null : rs.getInt(10),
              callers(rs.getString(11)),
              paths(rs.getString(12))));
        }
      }
    }
  }

  private static String callers(List<Records.Caller> l) {
    return RecordWriter.callers(JSON.createArrayNode(), l).toString();
  }

  private static String paths(List<Records.PathCount> l) {
    return RecordWriter.paths(JSON.createArrayNode(), l).toString();
  }

  private static List<Records.Caller> callers(String json) {
    List<Records.Caller> out = new ArrayList<>();
    for (JsonNode k : tree(json)) {
      out.add(new Records.Caller(
          k.path("name").asText(),
          k.path("kind").asText("other"),
          k.hasNonNull("pid") ? k.get("pid").asInt() : null,
          k.path("connections").asInt(),
          k.hasNonNull("peer") ? k.get("peer").asText() : null));
    }
    return out;
  }

  private static List<Records.PathCount> paths(String json) {
    List<Records.PathCount> out = new ArrayList<>();
    for (JsonNode p : tree(json)) {
      out.add(new Records.PathCount(
          p.path("method").asText(),
          p.path("path").asText(),
          p.path("requests").asInt(),
          p.path("server_errors").asInt()));
    }
    return out;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json == null ? "[]" : json);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored client observation is not JSON", e);
    }
  }
}
