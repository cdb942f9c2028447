package io.macfleet.agent.link;

import io.macfleet.agent.json.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What `macfleet serve` hands to new agents: the enrollment secret plus the controller's CA to pin.
 * The secret file may also be a bare secret, with the CA given separately.
 */
public record EnrollmentBundle(String secret, String caPem) {
  public static EnrollmentBundle read(Path secretFile, Path caFile) throws IOException {
    if (!Files.isReadable(secretFile)) {
      throw new IOException("cannot read secret file " + secretFile);
    }
    String text = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
    String secret;
    String ca = null;
    if (text.startsWith("{")) {
      JsonTree.Node n;
      try {
        n = JsonTree.parse(text);
      } catch (IOException e) {
        throw new IOException(secretFile + " looks like a bundle but is not valid JSON", e);
      }
      secret = n.path("enrollment_secret").asText("");
      ca = n.path("ca_pem").asText(null);
    } else {
      secret = text;
    }
    if (caFile != null) {
      ca = Files.readString(caFile, StandardCharsets.UTF_8);
    }
    if (secret.isBlank()) {
      throw new IOException(secretFile + " holds no enrollment secret");
    }
    if (ca != null && !ca.contains("BEGIN CERTIFICATE")) {
      throw new IOException(
          "the CA in " + (caFile != null ? caFile : secretFile) + " is not a PEM certificate");
    }
    return new EnrollmentBundle(secret, ca);
  }
}
