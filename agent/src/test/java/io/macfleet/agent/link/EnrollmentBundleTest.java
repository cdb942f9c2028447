package io.macfleet.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentBundleTest {
  private static final String PEM =
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void readsTheControllersBundleOrABareSecret(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("agent-bundle.json");
    Files.writeString(
        bundle,
        "{\"enrollment_secret\":\"mfe_abc\",\"ca_pem\":\"" + PEM.replace("\n", "\\n") + "\"}");
    EnrollmentBundle b = EnrollmentBundle.read(bundle, null);
    assertThat(b.secret()).isEqualTo("mfe_abc");
    assertThat(b.caPem()).contains("BEGIN CERTIFICATE");
    Path bare = dir.resolve("secret");
    Files.writeString(bare, "mfe_xyz\n");
    assertThat(EnrollmentBundle.read(bare, null).caPem()).isNull();
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, PEM);
    assertThat(EnrollmentBundle.read(bare, ca).caPem()).isEqualTo(PEM);
  }

  @Test
  void explainsWhatIsWrong(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> EnrollmentBundle.read(dir.resolve("missing"), null))
        .hasMessageContaining("cannot read");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "  \n");
    assertThatThrownBy(() -> EnrollmentBundle.read(empty, null))
        .hasMessageContaining("no enrollment secret");
    Path badCa = dir.resolve("bad-ca");
    Files.writeString(badCa, "{\"enrollment_secret\":\"s\",\"ca_pem\":\"hello\"}");
    assertThatThrownBy(() -> EnrollmentBundle.read(badCa, null))
        .hasMessageContaining("not a PEM certificate");
  }
}
