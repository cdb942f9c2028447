package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import io.macfleet.controller.security.CertificateAuthority;
import io.macfleet.controller.security.DataDirectory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A controller the CLI cannot reach is named in one line a person can act on, never in gRPC's words. */
class UnreachableTest {
  @TempDir
  Path tmp;

  private Path otherCa() throws Exception {
    Path tls = tmp.resolve("other-tls");
    CertificateAuthority.ensure(tls, List.of("localhost"));
    return tls.resolve("ca.pem");
  }

  private Path token() throws Exception {
    Path t = tmp.resolve("token");
    Files.writeString(t, "mfa_0123456789abcdef0123\n");
    Files.setPosixFilePermissions(
        t, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return t;
  }

  private static void oneLine(TestController.CliResult r, String says) {
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err())
        .contains(says)
        .doesNotContain("UNAVAILABLE")
        .doesNotContain("io.grpc")
        .doesNotContain("netty");
  }

  @Test
  void aNameThatDoesNotResolve() throws Exception {
    oneLine(
        TestController.cliRaw(
            "hosts",
            "--controller",
            "nosuchhost.invalid:7443",
            "--token-file",
            token().toString(),
            "--ca-file",
            otherCa().toString()),
        "host name nosuchhost.invalid does not resolve");
  }

  @Test
  void nothingListening() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    oneLine(
        TestController.cliRaw(
            "hosts",
            "--controller",
            "127.0.0.1:" + port,
            "--token-file",
            token().toString(),
            "--ca-file",
            otherCa().toString()),
        "nothing answers at 127.0.0.1:" + port);
  }

  @Test
  void aCertificateTheGivenCaDidNotSign() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      Path ca = otherCa();
      oneLine(
          TestController.cliRaw(
              "hosts",
              "--controller",
              c.target(),
              "--token-file",
              DataDirectory.adminToken(c.dataDir).toString(),
              "--ca-file",
              ca.toString()),
          "is not signed by the CA in " + ca);
    }
  }
}
