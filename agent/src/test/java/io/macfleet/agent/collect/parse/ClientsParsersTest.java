package io.macfleet.agent.collect.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.agent.Fixtures;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lsof -F, /proc/net/tcp* and Ollama's server.log lines, against real captures (fixtures/clients, server-log). */
class ClientsParsersTest {

  @Test
  void lsofFromAMacMiniKeepsEveryDefaultFieldApartAndReadsTheSocket() throws Exception {
    List<LsofSocket> s =
        LsofFieldsParser.parse(Fixtures.read("clients/lsof-i443-F.siky-blog-macmini-2024.txt"));
    assertThat(s).hasSize(1);
    LsofSocket chrome = s.get(0);
    assertThat(chrome.pid()).isEqualTo(1190);
    assertThat(chrome.command()).isEqualTo("Google Chrome Helper");
    assertThat(chrome.fd()).isEqualTo("29");
    assertThat(chrome.local()).isEqualTo(new Endpoint("siky-mac-mini", "61472"));
    // without -P lsof names the port; the agent passes -nP, and a service name never matches a port
    // number
    assertThat(chrome.remote()).isEqualTo(new Endpoint("221.229.52.145", "https"));
    assertThat(chrome.remote().portNumber()).isEqualTo(-1);
    assertThat(chrome.state()).isEqualTo("ESTABLISHED");
  }

  @Test
  void lsofOfTheAgentsOwnCommandListsBothEndsOfEveryConnection() throws Exception {
    List<LsofSocket> s = LsofFieldsParser.parse(
        Fixtures.read(
            "clients/lsof-nP-iTCP11434-sTCP-ESTABLISHED-F.debian12-lsof4.95-simulator-curl-python.txt"));
    assertThat(s).hasSize(10);
    assertThat(s.stream().filter(x -> x.command().equals("java")))
        .hasSize(5)
        .allSatisfy(x -> assertThat(x.local().portNumber()).isEqualTo(11434));
    assertThat(s.stream().filter(x -> x.command().equals("python3"))).hasSize(3).allSatisfy(x -> {
      assertThat(x.remote()).isEqualTo(new Endpoint("127.0.0.1", "11434"));
      assertThat(x.remote().loopback()).isTrue();
    });
    assertThat(s).allSatisfy(x -> assertThat(x.state()).isEqualTo("ESTABLISHED"));
  }

  @Test
  void lsofGarbageIsRefusedAndNothingIsEmptyNotAnError() throws Exception {
    assertThat(LsofFieldsParser.parse("")).isEmpty();
    assertThatThrownBy(() -> LsofFieldsParser.parse("COMMAND PID USER\ncurl 12 me"))
        .isInstanceOf(UnrecognisedOutput.class)
        .hasMessageContaining("'p<pid>'");
    assertThatThrownBy(() -> LsofFieldsParser.parse("pabc\ncx\n"))
        .isInstanceOf(UnrecognisedOutput.class)
        .hasMessageContaining("'abc'");
  }

  @Test
  void procNetTcpDecodesLittleEndianAddressesAndV4MappedIpv6() throws Exception {
    List<ProcSocket> v4 = ProcNetTcpParser.parse(
        Fixtures.read("clients/proc-net-tcp.debian12-simulator-curl-python.txt"));
    assertThat(v4).hasSize(6);
    ProcSocket curl = v4.get(1);
    assertThat(curl.local()).isEqualTo(new Endpoint("127.0.0.1", "53904"));
    assertThat(curl.remote()).isEqualTo(new Endpoint("127.0.0.1", "11434"));
    assertThat(curl.state()).isEqualTo(ProcSocket.ESTABLISHED);
    assertThat(curl.inode()).isEqualTo(791977L);
    assertThat(v4.get(0).state()).isEqualTo(ProcSocket.LISTEN);
    List<ProcSocket> v6 = ProcNetTcpParser.parse(
        Fixtures.read("clients/proc-net-tcp6.debian12-simulator-curl-python.txt"));
    assertThat(v6).hasSize(6);
    assertThat(v6.get(1).local()).isEqualTo(new Endpoint("127.0.0.1", "11434"));
    assertThat(v6.get(1).remote()).isEqualTo(new Endpoint("127.0.0.1", "53932"));
    assertThat(ProcNetTcpParser.endpoint("00000000000000000000000001000000:2CAA"))
        .isEqualTo(new Endpoint("::1", "11434"));
    assertThatThrownBy(() -> ProcNetTcpParser.parse("not a proc file"))
        .isInstanceOf(UnrecognisedOutput.class);
  }

  @Test
  void goDurationsInEveryFormGinPrints() {
    assertThat(GoDuration.parse("20.916µs")).isEqualTo(Duration.ofNanos(20_916));
    assertThat(GoDuration.parse("363µs")).isEqualTo(Duration.ofNanos(363_000));
    assertThat(GoDuration.parse("1.193025ms")).isEqualTo(Duration.ofNanos(1_193_025));
    assertThat(GoDuration.parse("11.275035333s")).isEqualTo(Duration.ofNanos(11_275_035_333L));
    assertThat(GoDuration.parse("29m59s")).isEqualTo(Duration.ofSeconds(29 * 60 + 59));
    assertThat(GoDuration.parse("30m0s")).isEqualTo(Duration.ofMinutes(30));
    assertThat(GoDuration.parse("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
    assertThat(GoDuration.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("12")).isNull();
    assertThat(GoDuration.parse("5sx")).isNull();
    assertThat(GoDuration.parse("")).isNull();
  }

  @Test
  void ginLinesFromMacosJournaldAndWindowsAllRead() throws Exception {
    var mac = lines("issue-4623.darwin-parallel.TRUNCATED.log");
    assertThat(mac).hasSize(5);
    var gen = (ServerLogLine.Request) mac.get(2);
    assertThat(gen.end()).isEqualTo(LocalDateTime.of(2024, 5, 24, 17, 9, 6));
    assertThat(gen.status()).isEqualTo(200);
    assertThat(gen.latency()).isEqualTo(Duration.ofNanos(11_275_035_333L));
    assertThat(gen.client()).isEqualTo("127.0.0.1");
    assertThat(gen.method()).isEqualTo("POST");
    assertThat(gen.path()).isEqualTo("/api/generate");
    assertThat(((ServerLogLine.Request) mac.get(0)).method()).isEqualTo("HEAD");

    var journald = lines("issue-9564.journald-parallel-chat.TRUNCATED.log");
    assertThat(journald)
        .hasSize(10)
        .allSatisfy(l -> assertThat(l).isInstanceOf(ServerLogLine.Request.class));

    var remote = lines("issue-8387.journald-remote-500-minutes.TRUNCATED.log");
    var first = (ServerLogLine.Request) remote.get(0);
    assertThat(first.status()).isEqualTo(500);
    assertThat(first.client()).isEqualTo("10.0.0.123");
    assertThat(first.latency()).isEqualTo(Duration.ofSeconds(29 * 60 + 59));

    var windows = lines("issue-5816.windows-403-zero-latency.FRAGMENT.log");
    assertThat(windows).hasSize(6);
    assertThat(((ServerLogLine.Request) windows.get(1)).latency()).isEqualTo(Duration.ZERO);
  }

  @Test
  void ginDebugRouteLinesAndOtherLogLinesAreNotRequests() throws Exception {
    var l = lines("issue-8983.chat-500s-and-gin-debug.FRAGMENT.log");
    assertThat(l).hasSize(3);
    assertThat(l.stream().filter(x -> ((ServerLogLine.Request) x).status() == 500))
        .hasSize(2);
  }

  @Test
  void truncationWarningsKeepTheirLimitAndPromptSize() throws Exception {
    var prompt = lines("issue-10368.truncating-input-prompt.log");
    assertThat(prompt).hasSize(2);
    assertThat(prompt.get(1)).isEqualTo(new ServerLogLine.Truncation(false, 2048, 5065));
    assertThat(lines("issue-9452.truncating-local-zone.log"))
        .containsExactly(new ServerLogLine.Truncation(false, 2048, 91541));
    var messages = lines("issue-8531.truncating-input-messages.DEBUG.FRAGMENT.log");
    // the "context limit hit - shifting" line is the KV cache shifting, not a truncated input
    assertThat(messages).containsExactly(new ServerLogLine.Truncation(true, null, null));
  }

  @Test
  void colouredGinOutputAndHostileLinesAreHandled() {
    String coloured = "[GIN] 2025/03/07 - 12:07:24 |\u001B[97;42m 200 \u001B[0m|  6.660335345s |"
        + "       127.0.0.1 |\u001B[97;46m POST    \u001B[0m \"/api/chat\"";
    assertThat(ServerLogParser.parse(coloured))
        .get()
        .isInstanceOfSatisfying(
            ServerLogLine.Request.class, r -> assertThat(r.path()).isEqualTo("/api/chat"));
    assertThat(ServerLogParser.parse("[GIN] 2025/13/45 - 99:07:24 | 200 | 1s | x | GET \"/\""))
        .isEmpty();
    assertThat(ServerLogParser.looksLikeRequest("[GIN] garbage")).isTrue();
    assertThat(ServerLogParser.parse("msg=\"truncating input prompt\" limit=99999999999 prompt=1"))
        .contains(new ServerLogLine.Truncation(false, null, 1));
  }

  private static List<ServerLogLine> lines(String file) throws Exception {
    return Fixtures.read("ollama/server-log/" + file)
        .lines()
        .map(ServerLogParser::parse)
        .flatMap(java.util.Optional::stream)
        .toList();
  }
}
