package io.macfleet.agent.collect.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.Fixtures;
import io.macfleet.agent.collect.parse.Endpoint;
import io.macfleet.agent.collect.parse.LsofFieldsParser;
import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.ClientKind;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Who calls Ollama, from real lsof output and from this machine's live /proc. */
class ClientInventoryTest {

  @Test
  void theCapturedLsofGivesEachLocalCallerOnceAndLeavesOutTheServersOwnEnd() throws Exception {
    List<SocketOwner> owners = new ArrayList<>();
    LsofFieldsParser.parse(
            Fixtures.read(
                "clients/lsof-nP-iTCP11434-sTCP-ESTABLISHED-F.debian12-lsof4.95-simulator-curl-python.txt"))
        .forEach(s -> owners.add(new SocketOwner(s.pid(), s.command(), s.local(), s.remote())));
    List<Client> c = ClientInventory.of(owners, 11434);
    assertThat(c).extracting(Client::getName).containsExactly("python3", "curl", "curl");
    assertThat(c.get(0).getKind()).isEqualTo(ClientKind.CLIENT_AUTOMATION);
    assertThat(c.get(0).getConnections()).isEqualTo(3);
    assertThat(c.get(0).getPid()).isEqualTo(4824);
    assertThat(c.get(1).getKind()).isEqualTo(ClientKind.CLIENT_CLI);
    assertThat(c).extracting(Client::getPid).doesNotContain(4796); // the simulator serving them
  }

  @Test
  void aPeerOnAnotherMachineIsARemoteCallerSeenFromTheServerEnd() {
    Endpoint server = new Endpoint("192.168.1.20", "11434");
    List<Client> c = ClientInventory.of(
        List.of(
            new SocketOwner(88, "ollama", server, new Endpoint("192.168.1.31", "50001")),
            new SocketOwner(88, "ollama", server, new Endpoint("192.168.1.31", "50002")),
            // this host calling itself by its LAN address is local, not remote
            new SocketOwner(
                91, "Cursor Helper (Plugin)", new Endpoint("192.168.1.20", "50100"), server),
            new SocketOwner(88, "ollama", server, new Endpoint("192.168.1.20", "50100"))),
        11434);
    assertThat(c).hasSize(2);
    assertThat(c.get(0).getKind()).isEqualTo(ClientKind.CLIENT_REMOTE);
    assertThat(c.get(0).getPeer()).isEqualTo("192.168.1.31");
    assertThat(c.get(0).getConnections()).isEqualTo(2);
    assertThat(c.get(1).getKind()).isEqualTo(ClientKind.CLIENT_IDE);
  }

  @Test
  void kindsFromCommandNames() {
    assertThat(ClientKinds.of("Cursor")).isEqualTo(ClientKind.CLIENT_IDE);
    assertThat(ClientKinds.of("Code Helper")).isEqualTo(ClientKind.CLIENT_IDE);
    assertThat(ClientKinds.of("Xcode")).isEqualTo(ClientKind.CLIENT_IDE);
    assertThat(ClientKinds.of("idea")).isEqualTo(ClientKind.CLIENT_IDE);
    assertThat(ClientKinds.of("ollama")).isEqualTo(ClientKind.CLIENT_CLI);
    assertThat(ClientKinds.of("python3.12")).isEqualTo(ClientKind.CLIENT_AUTOMATION);
    assertThat(ClientKinds.of("node")).isEqualTo(ClientKind.CLIENT_AUTOMATION);
    assertThat(ClientKinds.of("Google Chrome Helper")).isEqualTo(ClientKind.CLIENT_OTHER);
    assertThat(ClientKinds.of("")).isEqualTo(ClientKind.CLIENT_OTHER);
  }

  @Test
  void theLinuxPathFindsThisJvmsOwnConnectionsInTheLiveProc() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket sa = server.accept();
        Socket sb = server.accept()) {
      OutputStream o = a.getOutputStream();
      o.write(1);
      List<Client> c = ClientInventory.of(
          new ProcConnections(Path.of("/proc")).sockets(server.getLocalPort()),
          server.getLocalPort());
      assertThat(c).hasSize(1);
      assertThat(c.get(0).getPid()).isEqualTo((int) ProcessHandle.current().pid());
      assertThat(c.get(0).getConnections()).isEqualTo(2);
      assertThat(c.get(0).getKind()).isEqualTo(ClientKind.CLIENT_AUTOMATION); // java
    }
  }
}
