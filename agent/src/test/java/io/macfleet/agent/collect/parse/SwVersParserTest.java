package io.macfleet.agent.collect.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.Fixtures;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SwVersParserTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "sw_vers.facter-2568-13.3.1a-RSR.TABS-AS-SPACES.txt, macOS, 13.3.1, (a), 22E772610a",
    "sw_vers.facter-2568-13.4-beta.TABS-AS-SPACES.txt, macOS, 13.4, '', 22F5049e",
    "sw_vers.idx43552286153-m1-14.0.txt, macOS, 14.0, '', 23A344",
    "sw_vers.idx53501088158-m4-macmini-26.3.PREFIXED.txt, macOS, 26.3, '', 25D125",
    "sw_vers.idx57495279865-26.3.1a-BSI.FRAGMENT.txt, '', 26.3.1, (a), 25D771280a",
    "sw_vers.idx62590496452-15.7.4.txt, macOS, 15.7.4, '', 24G517",
    "sw_vers.idx64762307-m1pro-12.6-single-tab.txt, macOS, 12.6, '', 21G115",
    "sw_vers.ruby-build-1451-catalina-10.15.5.TABS-AS-SPACES.txt, Mac OS X, 10.15.5, '', 19F101",
    "sw_vers.sudo-is-man-pmset-14.2.1.txt, macOS, 14.2.1, '', 23C71",
  })
  void parsesEveryRealCapture(String file, String name, String version, String extra, String build)
      throws Exception {
    SwVers v = SwVersParser.parse(Fixtures.read("macos/" + file)).orElseThrow();
    assertThat(v.productName()).isEqualTo(name);
    assertThat(v.productVersion()).isEqualTo(version);
    assertThat(v.productVersionExtra()).isEqualTo(extra);
    assertThat(v.buildVersion()).isEqualTo(build);
  }

  @Test
  void garbageIsUnrecognisedNotAnException() {
    assertThat(SwVersParser.parse("zsh: command not found: sw_vers\n")).isEmpty();
    assertThat(SwVersParser.parse("")).isEmpty();
    assertThat(SwVersParser.parse(null)).isEmpty();
    assertThat(SwVersParser.parse("ProductVersion: banana\n")).isEqualTo(Optional.empty());
  }
}
