package io.macfleet.shared;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The one JSON style of every `--json` (README, "JSON output"): field names as the proto spells them; numbers as
 * JSON numbers (64-bit ones too); enum values as a lowercase word without their prefix ({@link EnumWords});
 * timestamps as ISO-8601 UTC; {@code null} for what is absent (an unset field, an empty string, an unspecified
 * enum, a zero timestamp); listings as one array. protobuf's own JsonFormat prints 64-bit integers as strings, enum
 * names as declared and empty strings as "", which tools then have to special-case. Written with jackson-core's
 * streaming generator: no tree of 10,000 hosts in memory, and no databind for the CLI to load.
 */
public final class ProtoJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  /** Indented like jq prints: one value per line, "name": value. */
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
      .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
      .withSeparators(
          Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  private ProtoJson() {}

  /** What a document is made of, written field by field. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** A message as one JSON object, indented. */
  public static String json(MessageOrBuilder m) {
    return document(g -> write(g, m));
  }

  /** A listing as one JSON array, indented. */
  public static String array(List<? extends MessageOrBuilder> items) {
    return document(g -> array(g, items));
  }

  /** A listing straight to {@code out} (10,000 hosts need not be one string first), and a newline. */
  public static void printArray(java.io.Writer out, List<? extends MessageOrBuilder> items) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(PRETTY.createInstance());
      array(g, items);
      g.writeRaw(System.lineSeparator());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void array(JsonGenerator g, List<? extends MessageOrBuilder> items)
      throws IOException {
    g.writeStartArray();
    for (MessageOrBuilder i : items) {
      write(g, i);
    }
    g.writeEndArray();
  }

  /** A document of its own shape (several messages, a raw record), in the same style. */
  public static String document(Body body) {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      g.setPrettyPrinter(PRETTY.createInstance());
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  /** A JSON text another program made, copied as it is; false (and nothing written) when it is not one value. */
  public static boolean copyRaw(JsonGenerator g, String json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      // read it whole first: a record cut short must not leave half a value in the output
      p.nextToken();
      p.skipChildren();
      if (p.nextToken() != null) {
        return false;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      p.nextToken();
      g.copyCurrentStructure(p);
    }
    return true;
  }

  public static void write(JsonGenerator g, MessageOrBuilder m) throws IOException {
    if (m instanceof Timestamp t) {
      timestamp(g, t);
      return;
    }
    if (m instanceof Duration d) {
      g.writeNumber(d.getSeconds() + d.getNanos() / 1e9);
      return;
    }
    g.writeStartObject();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      g.writeFieldName(f.getName());
      field(g, m, f);
    }
    g.writeEndObject();
  }

  private static void field(JsonGenerator g, MessageOrBuilder m, FieldDescriptor f)
      throws IOException {
    if (f.isMapField()) {
      g.writeStartObject();
      for (Object e : (List<?>) m.getField(f)) {
        MapEntry<?, ?> entry = (MapEntry<?, ?>) e;
        g.writeFieldName(String.valueOf(entry.getKey()));
        value(g, entry.getDescriptorForType().findFieldByName("value"), entry.getValue());
      }
      g.writeEndObject();
    } else if (f.isRepeated()) {
      g.writeStartArray();
      for (Object v : (List<?>) m.getField(f)) {
        value(g, f, v);
      }
      g.writeEndArray();
    } else if (f.hasPresence() && !m.hasField(f)) {
      g.writeNull();
    } else {
      value(g, f, m.getField(f));
    }
  }

  private static void value(JsonGenerator g, FieldDescriptor f, Object v) throws IOException {
    switch (f.getJavaType()) {
      case INT -> {
        if (f.getType() == FieldDescriptor.Type.UINT32
            || f.getType() == FieldDescriptor.Type.FIXED32) {
          g.writeNumber(Integer.toUnsignedLong((Integer) v));
        } else {
          g.writeNumber((Integer) v);
        }
      }
      case LONG -> {
        if (f.getType() == FieldDescriptor.Type.UINT64
            || f.getType() == FieldDescriptor.Type.FIXED64) {
          g.writeNumber(new BigInteger(Long.toUnsignedString((Long) v)));
        } else {
          g.writeNumber((Long) v);
        }
      }
      case FLOAT -> finite(g, ((Float) v).doubleValue());
      case DOUBLE -> finite(g, (Double) v);
      case BOOLEAN -> g.writeBoolean((Boolean) v);
      case STRING -> textOrNull(g, (String) v);
      case BYTE_STRING -> {
        ByteString b = (ByteString) v;
        textOrNull(g, b.isEmpty() ? "" : Base64.getEncoder().encodeToString(b.toByteArray()));
      }
      case ENUM -> textOrNull(g, EnumWords.word((EnumValueDescriptor) v));
      case MESSAGE -> write(g, (Message) v);
    }
  }

  private static void textOrNull(JsonGenerator g, String s) throws IOException {
    if (s == null || s.isEmpty()) {
      g.writeNull();
    } else {
      g.writeString(s);
    }
  }

  private static void finite(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeNull();
    }
  }

  private static void timestamp(JsonGenerator g, Timestamp t) throws IOException {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      g.writeNull();
    } else {
      g.writeString(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
    }
  }
}
