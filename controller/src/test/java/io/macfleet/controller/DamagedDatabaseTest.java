package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.controller.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database file that exists but cannot be the fleet's never starts as a new, empty controller. */
class DamagedDatabaseTest {
  @TempDir
  Path tmp;

  @Test
  void anEmptyDatabaseFileIsRefusedWithTheFileAndTheRecoveryTool() throws Exception {
    Path data = tmp.resolve("ctl");
    Files.createDirectories(data);
    Files.createFile(Database.h2File(data));
    assertThatThrownBy(() ->
            ControllerServer.start(ControllerConfig.defaults(data).withListen("127.0.0.1", 0)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(Database.h2File(data).toString())
        .hasMessageContaining("is empty (0 bytes)")
        .hasMessageContaining("org.h2.tools.Recover");
    assertThat(Files.size(Database.h2File(data)))
        .as("the file is left as it was")
        .isZero();
  }

  @Test
  void aFileOfGarbageIsRefusedNotReplaced() throws Exception {
    Path data = tmp.resolve("ctl");
    Files.createDirectories(data);
    byte[] junk = new byte[256 * 1024];
    new Random(5).nextBytes(junk);
    Files.write(Database.h2File(data), junk);
    assertThatThrownBy(() ->
            ControllerServer.start(ControllerConfig.defaults(data).withListen("127.0.0.1", 0)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(Database.h2File(data).toString())
        .hasMessageContaining("cannot be opened")
        .hasMessageContaining("org.h2.tools.Recover");
    assertThat(Files.readAllBytes(Database.h2File(data)))
        .as("the file is left as it was")
        .isEqualTo(junk);
  }

  @Test
  void theServeCommandSaysSoInOneLineAndExitsNonZero() throws Exception {
    Path data = tmp.resolve("ctl");
    Files.createDirectories(data);
    Files.createFile(Database.h2File(data));
    var r = TestController.cliRaw(
        "serve", "--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--metrics-port", "-1");
    assertThat(r.code()).isNotZero();
    assertThat(r.err())
        .startsWith("error: the database " + Database.h2File(data) + " is empty (0 bytes)");
  }
}
