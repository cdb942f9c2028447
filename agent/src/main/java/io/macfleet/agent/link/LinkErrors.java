package io.macfleet.agent.link;

import io.macfleet.agent.link.h2.CallException;
import io.macfleet.agent.link.h2.CallStatus;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a failed call to the controller means, in words an operator can act on. A TLS failure arrives as UNAVAILABLE
 * with the cause deep in the handshake's exceptions; the causes that have a remedy are named.
 */
public final class LinkErrors {
  private LinkErrors() {}

  /** A one-line description of why the controller could not be reached or refused the call. */
  public static String describe(CallException e) {
    if (has(
        e,
        t -> t instanceof CertificateNotYetValidException
            || t instanceof CertificateExpiredException
            || t instanceof CertPathValidatorException v
                && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID))) {
      return "the controller's TLS certificate is not valid at this machine's clock ("
          + Instant.now().truncatedTo(ChronoUnit.SECONDS)
          + "): is the clock wrong? Check the date and time "
          + "(macOS: sudo sntp -sS time.apple.com); if the clock is right, the controller's certificate has expired";
    }
    if (has(
        e,
        t -> t instanceof CertPathValidatorException
            || t.getMessage() != null
                && (t.getMessage().contains("PKIX path building failed")
                    || t.getMessage().contains("PKIX path validation failed")))) {
      return "the controller's TLS certificate is not signed by the CA this agent pinned at enrollment (ca.pem "
          + "in its state directory): re-enroll against this controller, or point the agent at the right one";
    }
    CallStatus s = e.status();
    if (s.code() == CallStatus.Code.RESOURCE_EXHAUSTED) {
      return "the controller asked this host to slow down (" + s.description()
          + "); the reports stay spooled";
    }
    return "controller unavailable (" + s + ")";
  }

  private static boolean has(Throwable e, java.util.function.Predicate<Throwable> what) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (what.test(t)) {
        return true;
      }
    }
    return false;
  }
}
