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
    Path err = tmp.resolve("chromium.err");
    Process p = browser(html, err, "--dump-dom");
    byte[] dom = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return new Rendered(new String(dom, StandardCharsets.UTF_8), Files.readString(err));
  }

  /** The page as a person sees it: a screenshot of the top of the page, 1280 pixels wide. */
  private java.awt.image.BufferedImage screenshot(Path html) throws Exception {
    Path png = tmp.resolve(html.getFileName() + ".png");
    Process p = browser(
        html,
        tmp.resolve("shot.err"),
        "--screenshot=" + png,
        "--window-size=1280,1600",
        "--hide-scrollbars");
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as("chromium wrote the screenshot").exists();
    return javax.imageio.ImageIO.read(png.toFile());
  }

  private Process browser(Path html, Path err, String... what) throws Exception {
    Optional<Path> browser = chromium();
    if (browser.isEmpty() && System.getenv("CI") != null) {
      throw new AssertionError(
          "CI must have chromium on PATH (.ci/run installs Debian's chromium)");
    }
    Assumptions.assumeTrue(
        browser.isPresent(), "no chromium on PATH: install Debian's chromium to run this test");
    List<String> cmd = new java.util.ArrayList<>(List.of(
        browser.get().toString(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--user-data-dir=" + tmp.resolve("profile"),
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000"));
    cmd.addAll(List.of(what));
    cmd.add(html.toUri().toString());
    return new ProcessBuilder(cmd).redirectError(err.toFile()).start();
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
    assertThat(attr(r.dom(), "data-clipped"))
        .as("labels drawn outside their plot")
        .isZero();
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
        .doesNotContain("src=", "<link", "@import")
        .doesNotContainPattern("href=\"(?!#)"); // links only within the page
    assertRendered(open(html), 15);
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
          // imported runs carry the N-way/1-way ratio too, computed from their samples
          .containsPattern("(?m)^\\S+\\s+4-way\\s.*\\s\\d+\\.\\d\\d\\s")
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

  /**
   * A fleet of 50 hosts (5 of them control hosts), hourly runs at 1- and 4-way with a six-hour gap, an Ollama
   * upgrade on every tenth host and one hot run: the interchange format, as `export` writes it.
   */
  private Path fiftyHosts() throws Exception {
    StringBuilder f = new StringBuilder();
    java.time.Instant t0 = java.time.Instant.parse("2026-11-01T00:00:00Z");
    java.util.Random rnd = new java.util.Random(50);
    for (int h = 0; h < 50; h++) {
      String host = String.format("mac-%02d", h);
      f.append(String.format(
          "{\"kind\":\"host\",\"host\":\"%s\",\"chip\":\"Apple M4 Pro\",\"chip_generation\":\"M4\","
              + "\"memory_bytes\":51539607552,\"role\":\"%s\",\"labels\":{}}%n",
          host, h % 10 == 0 ? "control" : "fleet"));
      for (int r = 0; r < 8; r++) {
        // runs 0-3 hourly, then six hours without any, then 4-7 hourly
        java.time.Instant start = t0.plusSeconds(3600L * (r < 4 ? r : r + 6) + h * 20L);
        String run = "r-" + h + "-" + r;
        String ollama = h % 10 == 3 && r >= 6 ? "0.20.0" : "0.19.0";
        f.append(String.format(
            "{\"kind\":\"run\",\"run\":\"%s\",\"host\":\"%s\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
                + "\"model\":\"%s\",\"ollama_version\":\"%s\",\"os_build\":\"24E263\",\"backend\":\"mlx\","
                + "\"digest\":\"%s\",\"prompt_set\":\"coding\",\"purpose\":\"scheduled\",\"baseline\":false}%n",
            run, host, start, start.plusSeconds(240), MODEL, ollama, "a".repeat(64)));
        boolean hot = h == 7 && r == 7;
        if (hot) {
          f.append(String.format(
              "{\"kind\":\"telemetry\",\"host\":\"%s\",\"at\":\"%s\",\"thermal_pressure\":\"heavy\","
                  + "\"power_source\":\"ac\",\"battery_percent\":null,\"lid_closed\":false,"
                  + "\"external_display\":true,\"swap_used_bytes\":0,\"memory_pressure\":\"normal\"}%n",
              host, start.plusSeconds(60)));
        }
        for (int level : new int[] {1, 4}) {
          for (int k = 0; k < 24; k++) {
            double ttft =
                (level == 1 ? 200 : 700) * (hot ? 1.8 : 1) * (1 + rnd.nextGaussian() * 0.03);
            f.append(String.format(
                java.util.Locale.ROOT,
                "{\"kind\":\"sample\",\"run\":\"%s\",\"at\":\"%s\",\"concurrency\":%d,\"cold\":false,"
                    + "\"ttft_ms\":%.1f,\"prefill_tps\":1500.0,\"decode_tps\":%.2f,\"error\":null}%n",
                run,
                start.plusSeconds(2 + k),
                level,
                ttft,
                100 + rnd.nextGaussian()));
          }
        }
      }
    }
    return Files.writeString(tmp.resolve("fifty.ndjson"), f);
  }

  @Test
  void fiftyHostsReadWellOnePlotPerLevelEveryHostOverlaidAndASummaryThatLinksIn() throws Exception {
    Path html = tmp.resolve("fifty.html");
    var r = TestController.cliRaw(
        "report",
        "--model",
        MODEL,
        "--html",
        html.toString(),
        "--input",
        fiftyHosts().toString());
    assertThat(r.code()).as(r.err()).isZero();
    String page = Files.readString(html);
    // one plot per level (TTFT and decode) with every host, the ratio, and one per host
    assertThat(Pattern.compile("<title>[^<]*every host").matcher(page).results().count())
        .isEqualTo(5);
    assertThat(page).contains("1-way, every host", "4-way, every host", "mac-00 (control)");
    // the summary links into the page, and every link has its target
    Matcher links = Pattern.compile("href=\"#([^\"]+)\"").matcher(page);
    int n = 0;
    while (links.find()) {
      assertThat(page).as(links.group(1)).contains("id=\"" + links.group(1) + "\"");
      n++;
    }
    assertThat(n).isGreaterThanOrEqualTo(50);
    // 50 sections, closed until opened; the environment verdict links to its own section
    assertThat(page.split("<details id=\"host-", -1).length - 1).isEqualTo(50);
    assertThat(page).doesNotContain("<details id=\"host-mac-00\" open");
    assertThat(page).contains("href=\"#v-r-7-7-1\"", "id=\"v-r-7-7-1\"");
    // lines break over the six-hour gap: two segments per host and level, never one across it
    assertThat(page).contains("Ollama 0.19.0 → 0.20.0");
    assertRendered(open(html), 55);

    java.awt.image.BufferedImage shot = screenshot(html);
    assertThat(shot.getWidth()).isEqualTo(1280);
    // the top of the page shows the summary and the first plot, drawn in the hosts' colours
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    int hostColoured = 0;
    java.awt.Color first = java.awt.Color.decode("#a82424"); // HtmlReport.color(0): hsl(0,65%,40%)
    for (int y = 0; y < shot.getHeight(); y += 2) {
      for (int x = 0; x < shot.getWidth(); x += 2) {
        int rgb = shot.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        java.awt.Color c = new java.awt.Color(rgb);
        if (Math.abs(c.getRed() - first.getRed()) < 24
            && Math.abs(c.getGreen() - first.getGreen()) < 24
            && Math.abs(c.getBlue() - first.getBlue()) < 24) {
          hostColoured++;
        }
      }
    }
    assertThat(colours.size()).as("a page, not a blank").isGreaterThan(50);
    assertThat(hostColoured)
        .as("the first host's line and swatch are on screen")
        .isGreaterThan(20);
  }

  @Test
  void segmentsBreakOverAGapAndKeepTheirP95() {
    var s = new Svg.Series(
        "mac-a",
        "#000",
        false,
        List.of(
            new Svg.Point(0, 1),
            new Svg.Point(3600, 2),
            new Svg.Point(7200, 3),
            new Svg.Point(7200 + 6 * 3600, 4),
            new Svg.Point(7200 + 7 * 3600, 5)),
        List.of(new Svg.Point(0, 1.5), new Svg.Point(7200 + 6 * 3600, 4.5)));
    var segments = Svg.segments(s);
    assertThat(segments).hasSize(2);
    assertThat(segments.get(0)).hasSize(3);
    assertThat(segments.get(1)).hasSize(2);
    assertThat(segments.get(0).get(0)[1].y()).isEqualTo(1.5);
    assertThat(segments.get(0).get(1)[1]).isNull();
  }
}
