package io.macfleet.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.TestController;
import io.macfleet.controller.fleet.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback ladder through Debian's OpenSSH sshd, running the real commands (cat, printenv, the shell) on a
 * fake Ollama model store in a temporary directory, with a stand-in `ollama` CLI that keeps a log: dry-run runs
 * nothing, the steps pin, switch, restart and re-pull, a failing step stops the ladder, and all is audited.
 */
class RollbackOpenSshTest {
  private static final String MODEL = "qwen3.6:35b-a3b-nvfp4";
  private static final String GGUF = "qwen3.6:35b-a3b-q4_K_M";

  @TempDir
  Path tmp;

  private Path manifest(String root, String tag) {
    return tmp.resolve(root)
        .resolve((root.equals("models") ? "manifests/registry.ollama.ai/library/" : "") + "qwen3.6/"
            + tag);
  }

  private void fakeOllama() throws Exception {
    Path bin = tmp.resolve("bin");
    Files.createDirectories(bin);
    Files.writeString(
        bin.resolve("ollama"),
        String.join(
            "\n",
            "#!/bin/sh",
            "# a stand-in for the ollama CLI over the test's model store; every call is logged",
            "echo \"$*\" >> " + tmp.resolve("ollama.log"),
            "STORE=" + tmp.resolve("models") + "/manifests/registry.ollama.ai/library",
            "REG=" + tmp.resolve("registry"),
            "name=${2%%:*}; tag=${2##*:}",
            "case \"$1\" in",
            "  --version) echo 'ollama version is 0.19.0' ;;",
            "  rm) [ -f \"$STORE/$name/$tag\" ] || { echo \"Error: model '$2' not found\" >&2; exit 1; };"
                + " rm -f \"$STORE/$name/$tag\"; echo \"deleted '$2'\" ;;",
            "  pull) [ -f \"$REG/$name/$tag\" ] || { echo 'Error: pull model manifest: file does not exist' >&2; exit 1; };"
                + " mkdir -p \"$STORE/$name\"; cp \"$REG/$name/$tag\" \"$STORE/$name/$tag\"; echo success ;;",
            "  *) echo \"unknown command $1\" >&2; exit 2 ;;",
            "esac",
            ""));
    Files.writeString(
        bin.resolve("restart-ollama"), "#!/bin/sh\ndate >> " + tmp.resolve("restarted") + "\n");
    for (String f : new String[] {"ollama", "restart-ollama"}) {
      Files.setPosixFilePermissions(bin.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.createDirectories(manifest("models", "x").getParent());
    Files.createDirectories(manifest("registry", "x").getParent());
    Files.writeString(
        manifest("models", "35b-a3b-nvfp4"), "{\"schemaVersion\":2,\"layers\":[\"suspect\"]}");
    Files.writeString(
        manifest("registry", "35b-a3b-nvfp4"), "{\"schemaVersion\":2,\"layers\":[\"fixed\"]}");
    Files.writeString(
        manifest("registry", "35b-a3b-q4_K_M"), "{\"schemaVersion\":2,\"layers\":[\"gguf\"]}");
  }

  @Test
  void theLadderClimbsOnARealSshdAndStopsWhereItFails() throws Exception {
    OpenSshd.requireInstalled();
    fakeOllama();
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-r", "U1");
      try (OpenSshd sshd =
          new OpenSshd(tmp.resolve("sshd"), c.cli("ssh", "key").out().strip())) {
        c.cli(
            "hosts",
            "label",
            "mac-r",
            "ssh.host=127.0.0.1",
            "ssh.port=" + sshd.port,
            "ssh.user=" + System.getProperty("user.name"),
            "ollama.bin=" + tmp.resolve("bin/ollama"),
            "ollama.models=" + tmp.resolve("models"),
            "ollama.restart=" + tmp.resolve("bin/restart-ollama"));
        assertThat(c.cli("ssh", "trust", "mac-r").code()).isZero();
        String before = Files.readString(manifest("models", "35b-a3b-nvfp4"));

        // a dry run prints every command and runs none
        var plan = c.cli("rollback", "mac-r", "--model", MODEL, "--gguf-tag", GGUF, "--dry-run");
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out())
            .contains(
                "rollback plan",
                "pin_triple",
                "'" + tmp.resolve("bin/ollama") + "' 'pull' '" + GGUF + "'",
                "'" + tmp.resolve("bin/ollama") + "' 'rm' '" + MODEL + "'",
                "replay mac-r");
        assertThat(tmp.resolve("ollama.log")).doesNotExist();
        assertThat(tmp.resolve("restarted")).doesNotExist();

        // model names are checked before anything is sent
        var injection = c.cli("rollback", "mac-r", "--model", "qwen3;rm -rf /", "--dry-run");
        assertThat(injection.code()).isEqualTo(2);
        assertThat(injection.err()).contains("is not an Ollama model name");

        // for real: pin, GGUF + restart, cache surgery; the probe cannot run (no agent connected):
        // stopped there
        var run = c.cli(
            "rollback",
            "mac-r",
            "--model",
            MODEL,
            "--gguf-tag",
            GGUF,
            "--policy",
            "production",
            "--json");
        assertThat(run.code()).isEqualTo(1);
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.path("outcome").asText()).isEqualTo("stopped");
        assertThat(r.path("steps"))
            .extracting(s -> s.path("name").asText() + "=" + s.path("status").asText())
            .containsExactly(
                "pin_triple=ok",
                "off_mlx=ok",
                "cache_surgery=ok",
                "probe=failed",
                "record=not_reached");
        assertThat(r.path("steps").get(0).path("detail").asText())
            .contains("Ollama 0.19.0", AuditLog.sha256(before));
        String after = Files.readString(manifest("models", "35b-a3b-nvfp4"));
        assertThat(after).contains("fixed");
        assertThat(r.path("steps").get(2).path("detail").asText())
            .contains(AuditLog.sha256(before), AuditLog.sha256(after), "other blobs");
        assertThat(r.path("steps").get(3).path("detail").asText()).contains("missed");
        assertThat(manifest("models", "35b-a3b-q4_K_M")).exists();
        assertThat(tmp.resolve("restarted")).exists();
        assertThat(Files.readAllLines(tmp.resolve("ollama.log")))
            .containsExactly("--version", "pull " + GGUF, "rm " + MODEL, "pull " + MODEL);

        // a failing step stops the ladder: the GGUF tag is not in the registry
        Files.delete(manifest("registry", "35b-a3b-q4_K_M"));
        var failed = new ObjectMapper()
            .readTree(c.cli("rollback", "mac-r", "--model", MODEL, "--gguf-tag", GGUF, "--json")
                .out());
        assertThat(failed.path("steps"))
            .extracting(s -> s.path("status").asText())
            .containsExactly("ok", "failed", "not_reached", "not_reached", "not_reached");
        assertThat(failed.path("steps").get(1).path("detail").asText())
            .contains("exited 1", "file does not exist");

        JsonNode audit = new ObjectMapper()
            .readTree(c.cli("audit", "--host", "mac-r", "--json").out());
        assertThat(audit)
            .extracting(e -> e.path("action").asText())
            .contains(
                "rollback.dry_run",
                "rollback.pin_triple",
                "rollback.off_mlx",
                "rollback.cache_surgery",
                "rollback");
        assertThat(audit)
            .anyMatch(e -> e.path("action").asText().equals("rollback.off_mlx")
                && e.path("exit_code").asInt() == 1);
        assertThat(audit)
            .anyMatch(e -> e.path("action").asText().equals("rollback")
                && e.path("detail").asText().contains("policy production stopped"));
      }
    }
  }
}
