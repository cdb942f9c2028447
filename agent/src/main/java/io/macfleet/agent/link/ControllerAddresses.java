package io.macfleet.agent.link;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several controllers for one agent ("ctl-a:7443,ctl-b:7443"): a gRPC name resolver that hands the channel every
 * address in order, so gRPC's pick_first connects to the first that answers and moves on when it goes away —
 * failover inside one channel, with the spool delivering whatever was not acknowledged.
 */
final class ControllerAddresses extends NameResolver.Factory {
  static final String SCHEME = "macfleet-controllers";
  private final List<String> targets;

  ControllerAddresses(List<String> targets) {
    this.targets = List.copyOf(targets);
  }

  String uri() {
    return SCHEME + ":///" + String.join(",", targets);
  }

  @Override
  public NameResolver newNameResolver(URI uri, NameResolver.Args args) {
    return SCHEME.equals(uri.getScheme()) ? new Resolver() : null;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  private final class Resolver extends NameResolver {
    private Listener2 listener;

    @Override
    public String getServiceAuthority() {
      return targets.get(0); // TLS checks every controller's certificate against this name
    }

    @Override
    public void start(Listener2 l) {
      this.listener = l;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (String t : targets) {
        int colon = t.lastIndexOf(':');
        String host = t.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(t.substring(colon + 1));
        try {
          for (InetAddress a : InetAddress.getAllByName(host)) {
            groups.add(new EquivalentAddressGroup(new InetSocketAddress(a, port)));
          }
        } catch (UnknownHostException e) {
          failed.add(t);
        }
      }
      if (groups.isEmpty()) {
        listener.onError(
            Status.UNAVAILABLE.withDescription("cannot resolve any controller: " + failed));
        return;
      }
      listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
    }

    @Override
    public void shutdown() {
      // nothing held
    }
  }
}
