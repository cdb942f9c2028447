package io.macfleet.controller.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The enrollment secret and the admin token, created on first start (mode 0600) and read afterwards.
 * Only hashes are kept in memory for comparison; the files are the operator's copy.
 */
public final class ControllerSecrets {
  private final String enrollmentSecretHash;
  private final String adminTokenHash;
  /**
   * The admin SSH endpoint's credential for its calls into this controller: made at each start, held only in memory,
   * never written or logged. A call that presents it speaks for a user the endpoint verified by SSH key, so the
   * audit log may take the user's name from it; a call with the admin token is named by the token and its peer.
   */
  private final String endpointToken = Secrets.newSecret("mfs_");

  private ControllerSecrets(String enrollmentSecretHash, String adminTokenHash) {
    this.enrollmentSecretHash = enrollmentSecretHash;
    this.adminTokenHash = adminTokenHash;
  }

  public static ControllerSecrets loadOrCreate(Path dataDir, String caPem) throws IOException {
    Files.createDirectories(dataDir);
    String enrollment = readOrCreate(DataDirectory.enrollmentSecret(dataDir), "mfe_");
    String admin = readOrCreate(DataDirectory.adminToken(dataDir), "mfa_");
    ObjectNode bundle = new ObjectMapper().createObjectNode();
    bundle.put("enrollment_secret", enrollment);
    if (caPem != null) {
      bundle.put("ca_pem", caPem);
    }
    PemFiles.writeOwnerOnly(
        DataDirectory.agentBundle(dataDir),
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(bundle) + "\n");
    return new ControllerSecrets(Secrets.sha256Hex(enrollment), Secrets.sha256Hex(admin));
  }

  public boolean enrollmentSecretMatches(String presented) {
    return presented != null
        && Secrets.constantTimeEquals(Secrets.sha256Hex(presented), enrollmentSecretHash);
  }

  public String endpointToken() {
    return endpointToken;
  }

  public boolean endpointTokenMatches(String presented) {
    return presented != null && Secrets.constantTimeEquals(presented, endpointToken);
  }

  public boolean adminTokenMatches(String presented) {
    return presented != null
        && Secrets.constantTimeEquals(Secrets.sha256Hex(presented), adminTokenHash);
  }

  private static String readOrCreate(Path file, String prefix) throws IOException {
    if (Files.exists(file)) {
      PemFiles.requireOwnerOnly(file);
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (s.length() < 16) {
        throw new IOException(
            file + " holds no usable secret; delete it to have a new one created");
      }
      return s;
    }
    String s = Secrets.newSecret(prefix);
    PemFiles.writeOwnerOnly(file, s + "\n");
    return s;
  }
}
