package io.macfleet.controller.store;

/** H2, the embedded default. */
public final class H2Dialect implements Dialect {
  @Override
  public String name() {
    return "h2";
  }

  @Override
  public String upsertLabel() {
    return "MERGE INTO host_labels (host_id, k, v) KEY (host_id, k) VALUES (?, ?, ?)";
  }
}
