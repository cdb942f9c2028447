package io.macfleet.controller.grpc;

import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.AuditLog;
import io.macfleet.controller.fleet.FleetException;
import java.util.function.Function;
import java.util.function.Supplier;

/** How an admin handler answers: the result or the error table's status, and for a change a line in the audit log. */
final class AdminAnswers {
  private final AuditLog audit;

  AdminAnswers(AuditLog audit) {
    this.audit = audit;
  }

  static <T> void answer(StreamObserver<T> out, Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      out.onError(Statuses.of(e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }

  /** answer, and a line in the audit log whichever way it ends. */
  <T extends com.google.protobuf.MessageOrBuilder> void audited(
      StreamObserver<T> out, String action, String host, String detail, Supplier<T> work) {
    audited(out, action, host, detail, r -> "", work);
  }

  /** As above, with what the action did (from its result) added to the audit entry's detail. */
  <T extends com.google.protobuf.MessageOrBuilder> void audited(
      StreamObserver<T> out,
      String action,
      String host,
      String detail,
      Function<T, String> did,
      Supplier<T> work) {
    String actor = AuthInterceptor.ACTOR.get();
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      audit.record(
          actor,
          action,
          host,
          detail,
          FleetException.Kind.exitCode(e),
          String.valueOf(e.getMessage()));
      out.onError(Statuses.of(e));
      return;
    }
    String done = did.apply(result);
    audit.record(
        actor, action, host, done.isEmpty() ? detail : detail + ": " + done, 0, result.toString());
    out.onNext(result);
    out.onCompleted();
  }
}
