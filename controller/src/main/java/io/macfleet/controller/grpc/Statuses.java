package io.macfleet.controller.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps domain refusals to gRPC status codes; unexpected failures become INTERNAL without internals. */
final class Statuses {
  private static final Logger log = LoggerFactory.getLogger(Statuses.class);

  private Statuses() {}

  static StatusRuntimeException of(Throwable t) {
    Throwable e = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
    if (e instanceof FleetException f) {
      Status s = Status.fromCode(f.kind().status());
      return s.withDescription(f.getMessage()).asRuntimeException();
    }
    if (e instanceof StoreException) {
      log.error("storage error", e);
      return Status.UNAVAILABLE.withDescription("storage error; retry later").asRuntimeException();
    }
    log.error("unexpected error", e);
    return Status.INTERNAL
        .withDescription("internal error; see the controller log")
        .asRuntimeException();
  }
}
