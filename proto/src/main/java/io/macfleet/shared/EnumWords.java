package io.macfleet.shared;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.ProtocolMessageEnum;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The word a protobuf enum value is printed as, in JSON and in tables: lowercase, its prefix gone ({@code online},
 * not {@code HOST_ONLINE}); null when unset. Kept apart from {@link ProtoJson} so a table needs no JSON library.
 */
public final class EnumWords {
  private static final Map<EnumDescriptor, Integer> PREFIX = new ConcurrentHashMap<>();

  private EnumWords() {}

  public static String word(ProtocolMessageEnum e) {
    return e.getNumber() == 0 ? null : word(e.getValueDescriptor());
  }

  public static String word(EnumValueDescriptor v) {
    if (v.getNumber() == 0) {
      return null;
    }
    int prefix = PREFIX.computeIfAbsent(v.getType(), EnumWords::prefixLength);
    return v.getName().substring(prefix).toLowerCase(Locale.ROOT);
  }

  /**
   * The length of the prefix every named value of an enum shares, up to and including its last underscore
   * (HOST_ONLINE, HOST_STALE → "HOST_"); the zero value is left out, since it is named for the enum
   * (HOST_STATUS_UNSPECIFIED).
   */
  public static int prefixLength(EnumDescriptor type) {
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
}
