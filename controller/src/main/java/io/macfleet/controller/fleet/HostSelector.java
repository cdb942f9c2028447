package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostRow;
import java.util.ArrayList;
import java.util.List;

/** The hosts a {@link Selector} picks from the controller's hosts. Revoked hosts never match. */
public final class HostSelector {
  private HostSelector() {}

  public static List<HostRow> select(Selector selector, List<HostRow> hosts) {
    List<HostRow> out = new ArrayList<>();
    for (HostRow h : hosts) {
      if (!h.revoked() && selector.matches(h.name(), h.chipGeneration(), h.labels())) {
        out.add(h);
      }
    }
    return out;
  }
}
