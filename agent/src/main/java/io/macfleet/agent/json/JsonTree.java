package io.macfleet.agent.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent's JSON: a small read-only tree over jackson-core's streaming parser, with the few accessors the agent
 * uses (the names of Jackson's JsonNode, whose databind module is 400 classes the daemon need not load). Reading
 * {@code path} never fails: a missing member is a missing node, whose {@code asText(d)} is {@code d}.
 */
public final class JsonTree {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Node MISSING = new Node(Kind.MISSING, null);
  private static final Node NULL = new Node(Kind.NULL, null);

  private enum Kind {
    OBJECT,
    ARRAY,
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL,
    MISSING
  }

  private JsonTree() {}

  /** One JSON document; malformed or truncated text, or anything after it, is an IOException saying where. */
  public static Node parse(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("no JSON value (empty input)");
      }
      Node n = read(p, t);
      if (p.nextToken() != null) {
        throw new IOException("more than one JSON value (at " + p.currentLocation() + ")");
      }
      return n;
    }
  }

  private static Node read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Node> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, read(p, p.nextToken()));
        }
        return new Node(Kind.OBJECT, m);
      }
      case START_ARRAY -> {
        List<Node> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(read(p, e));
        }
        return new Node(Kind.ARRAY, l);
      }
      case VALUE_STRING -> {
        return new Node(Kind.STRING, p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return new Node(Kind.INTEGER, p.getNumberValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return new Node(Kind.DECIMAL, p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Node(Kind.BOOLEAN, t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new IOException("unexpected " + t + " at " + p.currentLocation());
    }
  }

  /** A JSON string literal for {@code s}, quotes included. */
  public static String quote(String s) {
    return write(g -> {
      try {
        g.writeString(s);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Text written through jackson-core's generator (pretty when asked). */
  public static String write(Consumer<JsonGenerator> body) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      body.accept(g);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }

  /** A value in the tree, or a missing one. */
  public static final class Node {
    private final Kind kind;
    private final Object value;

    private Node(Kind kind, Object value) {
      this.kind = kind;
      this.value = value;
    }

    /** The member {@code name} of an object; missing for anything else or an absent member. */
    @SuppressWarnings("unchecked")
    public Node path(String name) {
      Node n = kind == Kind.OBJECT ? ((Map<String, Node>) value).get(name) : null;
      return n == null ? MISSING : n;
    }

    /** Element {@code i} of an array; missing for anything else or out of range. */
    @SuppressWarnings("unchecked")
    public Node path(int i) {
      if (kind != Kind.ARRAY) {
        return MISSING;
      }
      List<Node> l = (List<Node>) value;
      return i >= 0 && i < l.size() ? l.get(i) : MISSING;
    }

    /** Whether an object has the member, null-valued or not. */
    @SuppressWarnings("unchecked")
    public boolean has(String name) {
      return kind == Kind.OBJECT && ((Map<String, Node>) value).containsKey(name);
    }

    /** Like {@link #path(String)}, but null (Java's) when the member is absent. */
    public Node get(String name) {
      Node n = path(name);
      return n.isMissingNode() ? null : n;
    }

    public boolean isMissingNode() {
      return kind == Kind.MISSING;
    }

    public boolean isNull() {
      return kind == Kind.NULL;
    }

    public boolean isObject() {
      return kind == Kind.OBJECT;
    }

    public boolean isArray() {
      return kind == Kind.ARRAY;
    }

    public boolean isTextual() {
      return kind == Kind.STRING;
    }

    public boolean isIntegralNumber() {
      return kind == Kind.INTEGER;
    }

    public boolean isNumber() {
      return kind == Kind.INTEGER || kind == Kind.DECIMAL;
    }

    public boolean isBoolean() {
      return kind == Kind.BOOLEAN;
    }

    /** The elements of an array (empty for anything else). */
    @SuppressWarnings("unchecked")
    public List<Node> elements() {
      return kind == Kind.ARRAY ? Collections.unmodifiableList((List<Node>) value) : List.of();
    }

    /** The members of an object, in order (empty for anything else). */
    @SuppressWarnings("unchecked")
    public Map<String, Node> fields() {
      return kind == Kind.OBJECT
          ? Collections.unmodifiableMap((Map<String, Node>) value)
          : Map.of();
    }

    /** A scalar's text (a number's or boolean's too); "" for null, containers and missing. */
    public String asText() {
      return switch (kind) {
        case STRING -> (String) value;
        case INTEGER, DECIMAL, BOOLEAN -> String.valueOf(value);
        default -> "";
      };
    }

    /** As {@link #asText()}, but {@code dflt} for a missing or null value. */
    public String asText(String dflt) {
      return kind == Kind.MISSING || kind == Kind.NULL ? dflt : asText();
    }

    /** A number's value (a decimal's cut toward zero, a numeric string's parsed), else {@code dflt}. */
    public long asLong(long dflt) {
      return switch (kind) {
        case INTEGER -> ((Number) value).longValue();
        case DECIMAL -> (long) (double) (Double) value;
        case STRING -> {
          try {
            yield Long.parseLong(((String) value).strip());
          } catch (NumberFormatException e) {
            yield dflt;
          }
        }
        default -> dflt;
      };
    }

    public long asLong() {
      return asLong(0);
    }

    public int asInt(int dflt) {
      long v = asLong(dflt);
      return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? dflt : (int) v;
    }

    public double asDouble(double dflt) {
      return switch (kind) {
        case INTEGER, DECIMAL -> ((Number) value).doubleValue();
        case STRING -> {
          try {
            yield Double.parseDouble(((String) value).strip());
          } catch (NumberFormatException e) {
            yield dflt;
          }
        }
        default -> dflt;
      };
    }

    public boolean asBoolean(boolean dflt) {
      return kind == Kind.BOOLEAN ? (Boolean) value : dflt;
    }
  }
}
