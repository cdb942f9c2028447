package io.macfleet.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.Timestamp;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one JSON style of every `--json` (README, "JSON output"): field names as the proto spells them; numbers as
 * JSON numbers (64-bit ones too); enum values as a lowercase word without their prefix ({@code online}, not
 * {@code HOST_ONLINE}); timestamps as ISO-8601 UTC; {@code null} for what is absent (an unset field, an empty
 * string, an unspecified enum, a zero timestamp); listings as one array. protobuf's own JsonFormat prints 64-bit
 * integers as strings, enum names as declared and empty strings as "", which tools then have to special-case.
 */
public final class ProtoJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Indented like jq prints: one value per line, "name": value. */
  private static final ObjectWriter WRITER = new ObjectMapper()
      .writer(new DefaultPrettyPrinter()
          .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
          .withSeparators(Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

  private static final Map<EnumDescriptor, Integer> PREFIX = new ConcurrentHashMap<>();

  private ProtoJson() {}

  /** A message as one JSON object, indented. */
  public static String json(MessageOrBuilder m) {
    return print(tree(m));
  }

  /** A listing as one JSON array, indented. */
  public static String array(List<? extends MessageOrBuilder> items) {
    ArrayNode a = NODES.arrayNode();
    items.forEach(i -> a.add(tree(i)));
    return print(a);
  }

  public static String print(JsonNode n) {
    try {
      return WRITER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The word an enum value is printed as, in JSON and in tables: lowercase, its prefix gone; null if unset. */
  public static String word(ProtocolMessageEnum e) {
    return e.getNumber() == 0 ? null : word(e.getValueDescriptor());
  }

  static String word(EnumValueDescriptor v) {
    if (v.getNumber() == 0) {
      return null;
    }
    int prefix = PREFIX.computeIfAbsent(v.getType(), ProtoJson::prefixLength);
    return v.getName().substring(prefix).toLowerCase(Locale.ROOT);
  }

  /**
   * The length of the prefix every named value of an enum shares, up to and including its last underscore
   * (HOST_ONLINE, HOST_STALE → "HOST_"); the zero value is left out, since it is named for the enum
   * (HOST_STATUS_UNSPECIFIED).
   */
  static int prefixLength(EnumDescriptor type) {
    String common = null;
    for (EnumValueDescriptor v : type.getValues()) {
      if (v.getNumber() == 0) {
        continue;
      }
      String n = v.getName();
      if (common == null) {
        common = n;
      } else {
        int i = 0;
        while (i < common.length() && i < n.length() && common.charAt(i) == n.charAt(i)) {
          i++;
        }
        common = common.substring(0, i);
      }
    }
    if (common == null) {
      return 0;
    }
    return common.lastIndexOf('_') + 1;
  }

  public static JsonNode tree(MessageOrBuilder m) {
    if (m instanceof Timestamp t) {
      return timestamp(t);
    }
    if (m instanceof Duration d) {
      return NODES.numberNode(d.getSeconds() + d.getNanos() / 1e9);
    }
    ObjectNode o = NODES.objectNode();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      o.set(f.getName(), field(m, f));
    }
    return o;
  }

  private static JsonNode field(MessageOrBuilder m, FieldDescriptor f) {
    if (f.isMapField()) {
      ObjectNode map = NODES.objectNode();
      for (Object e : (List<?>) m.getField(f)) {
        MapEntry<?, ?> entry = (MapEntry<?, ?>) e;
        FieldDescriptor valueField = entry.getDescriptorForType().findFieldByName("value");
        map.set(String.valueOf(entry.getKey()), value(valueField, entry.getValue()));
      }
      return map;
    }
    if (f.isRepeated()) {
      ArrayNode a = NODES.arrayNode();
      for (Object v : (List<?>) m.getField(f)) {
        a.add(value(f, v));
      }
      return a;
    }
    if (f.hasPresence() && !m.hasField(f)) {
      return NODES.nullNode();
    }
    return value(f, m.getField(f));
  }

  private static JsonNode value(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case INT ->
        f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
            ? NODES.numberNode(Integer.toUnsignedLong((Integer) v))
            : NODES.numberNode((Integer) v);
      case LONG ->
        f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
            ? NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) v)))
            : NODES.numberNode((Long) v);
      case FLOAT -> finite(((Float) v).doubleValue());
      case DOUBLE -> finite((Double) v);
      case BOOLEAN -> NODES.booleanNode((Boolean) v);
      case STRING -> ((String) v).isEmpty() ? NODES.nullNode() : NODES.textNode((String) v);
      case BYTE_STRING -> {
        byte[] b = ((com.google.protobuf.ByteString) v).toByteArray();
        yield b.length == 0
            ? NODES.nullNode()
            : NODES.textNode(Base64.getEncoder().encodeToString(b));
      }
      case ENUM -> {
        String w = word((EnumValueDescriptor) v);
        yield w == null ? NODES.nullNode() : NODES.textNode(w);
      }
      case MESSAGE -> tree((Message) v);
    };
  }

  private static JsonNode finite(double d) {
    return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
  }

  private static JsonNode timestamp(Timestamp t) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      return NODES.nullNode();
    }
    return NODES.textNode(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
  }
}
