package io.macfleet.agent.collect.parse;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * XML property lists into Map/List/String/Long/Double/Boolean. The DOCTYPE every plist carries is
 * accepted, but nothing external is ever fetched and entities are not expanded.
 */
public final class PlistReader {
  private PlistReader() {}

  public static Object read(String xml) throws UnrecognisedOutput {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Element root = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
          .getDocumentElement();
      if (!"plist".equals(root.getTagName())) {
        throw new UnrecognisedOutput("XML root is <" + root.getTagName() + ">, not <plist>");
      }
      Element first = firstElement(root);
      if (first == null) {
        throw new UnrecognisedOutput("empty <plist>");
      }
      return value(first);
    } catch (UnrecognisedOutput e) {
      throw e;
    } catch (Exception e) {
      throw new UnrecognisedOutput("not a readable XML property list: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> readDict(String xml) throws UnrecognisedOutput {
    Object o = read(xml);
    if (!(o instanceof Map)) {
      throw new UnrecognisedOutput("the property list's top level is not a <dict>");
    }
    return (Map<String, Object>) o;
  }

  private static Object value(Element e) throws UnrecognisedOutput {
    return switch (e.getTagName()) {
      case "dict" -> dict(e);
      case "array" -> array(e);
      case "string", "date", "data" -> e.getTextContent();
      case "integer" -> Long.valueOf(e.getTextContent().strip());
      case "real" -> Double.valueOf(e.getTextContent().strip());
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new UnrecognisedOutput("unknown plist element <" + e.getTagName() + ">");
    };
  }

  private static Map<String, Object> dict(Element e) throws UnrecognisedOutput {
    Map<String, Object> out = new LinkedHashMap<>();
    String key = null;
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        if ("key".equals(c.getTagName())) {
          key = c.getTextContent();
        } else if (key != null) {
          out.put(key, value(c));
          key = null;
        }
      }
    }
    return out;
  }

  private static List<Object> array(Element e) throws UnrecognisedOutput {
    List<Object> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        out.add(value(c));
      }
    }
    return out;
  }

  private static Element firstElement(Element e) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        return c;
      }
    }
    return null;
  }
}
