package io.macfleet.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.TestController;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `macfleet report --html` opened in headless Chromium (Debian's chromium; .ci/run installs it): every plot
 * draws marks with a real bounding box, and the page raises no error and logs nothing to the console.
 */
class HtmlReportTest {
  private static final String MODEL = "qwen3.5:35b-a3b-nvfp4";

  @TempDir
  Path tmp;

  static Optional<Path> chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private record Rendered(String dom, String log) {}

  private Rendered open(Path html) throws Exception {
    Optional<Path> browser = chromium();
    if (browser.isEmpty() && System.getenv("CI") != null) {
      throw new AssertionError(
          "CI must have chromium on PATH (.ci/run installs Debian's chromium)");
    }
    Assumptions.assumeTrue(
        browser.isPresent(), "no chromium on PATH: install Debian's chromium to run this test");
    Path err = tmp.resolve("chromium.err");
    Process p = new ProcessBuilder(
            browser.get().toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--user-data-dir=" + tmp.resolve("profile"),
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            html.toUri().toString())
        .redirectError(err.toFile())
        .start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return new Rendered(new String(dom, StandardCharsets.UTF_8), Files.readString(err));
  }

  private static int attr(String dom, String name) {
    Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
    assertThat(m.find()).as(name + " set by the page's script").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static void assertRendered(Rendered r, int atLeast) {
    int plots = attr(r.dom(), "data-plots");
    assertThat(plots).isGreaterThanOrEqualTo(atLeast);
    assertThat(attr(r.dom(), "data-plots-rendered")).isEqualTo(plots);
    assertThat(r.dom()).contains("data-errors=\"\"");
    assertThat(r.log().lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")))
        .isEmpty();
  }

  @Test
  void anOfflineReportRendersEveryPlot() throws Exception {
    Path html = tmp.resolve("thermal.html");
    var r = TestController.cliRaw(
        "report",
        "--model",
        MODEL,
        "--html",
        html.toString(),
        "--input",
        "src/test/resources/scenarios/environment_thermal.ndjson");
    assertThat(r.code()).as(r.err()).isZero();
    // a page meant to be shared: readable by others, not a temporary file's 0600
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(html)))
        .isEqualTo("rw-r--r--");
    assertThat(Files.list(tmp).filter(p -> p.getFileName().toString().startsWith(".")))
        .isEmpty();
    String page = Files.readString(html);
    // self-contained: nothing fetched from anywhere
    assertThat(page)
        .contains("environment", "heavy thermal pressure", "Before and after")
        .doesNotContain("src=", "href=", "<link", "@import");
    assertRendered(open(html), 20);
  }

  @Test
  void anOutputPathInAMissingDirectoryIsAnErrorNotANewTree() throws Exception {
    Path html = tmp.resolve("no-such-dir").resolve("r.html");
    var r = TestController.cliRaw(
        "report",
        "--model",
        MODEL,
        "--html",
        html.toString(),
        "--input",
        "src/test/resources/scenarios/environment_thermal.ndjson");
    assertThat(r.code()).isEqualTo(io.macfleet.controller.cli.ExitCodes.USAGE);
    assertThat(r.err()).contains("no-such-dir does not exist; create it first");
    assertThat(tmp.resolve("no-such-dir")).doesNotExist();
  }

  @Test
  void aReportFromTheControllerShowsItsVerdicts() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      assertThat(
              c.cli("import", "src/test/resources/scenarios/concurrency.ndjson").code())
          .isZero();
      Path html = tmp.resolve("fleet.html");
      var r = c.cli("report", "--model", MODEL, "--since", "3650d", "--html", html.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("plots");
      assertThat(Files.readString(html)).contains("N-way / 1-way TTFT p95", "mac-113");
      assertRendered(open(html), 10);

      // the same data as a table: units in the headers; no ratio here is past the runbook's 2.8, so
      // nothing is marked (FormatsTest checks the mark)
      String table = c.cli("report", "--model", MODEL, "--since", "3650d").out();
      assertThat(table)
          .contains("TTFT p95 ms", "decode tok/s", "RATIO ×")
          .doesNotContain("past the runbook's limit");
      // --limit on every listing, checked the same way everywhere
      var hosts = c.cli("hosts", "--limit", "1");
      assertThat(hosts.out().lines().count()).isEqualTo(2); // the header and one host
      assertThat(hosts.err()).containsPattern("showing 1 of \\d+ hosts");
      var zero = c.cli("runs", "--limit", "0");
      assertThat(zero.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(zero.err()).contains("--limit must be 1 to 100000, got 0");
    }
  }
}
