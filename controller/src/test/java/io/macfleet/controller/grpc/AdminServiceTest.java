package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ServerServiceDefinition;
import io.macfleet.proto.v1.AdminServiceGrpc;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin service's handlers, split by concern, answer every RPC exactly once. */
class AdminServiceTest {
  private static AdminPart part(String... methods) {
    return new AdminPart() {
      @Override
      public Set<String> methods() {
        return Set.of(methods);
      }

      @Override
      public ServerServiceDefinition bindService() {
        return new AdminServiceGrpc.AdminServiceImplBase() {}.bindService();
      }
    };
  }

  @Test
  void everyRpcHasExactlyOneHandler() {
    var all = AdminServiceGrpc.getServiceDescriptor().getMethods().stream()
        .map(m -> m.getFullMethodName())
        .toList();
    String first = all.get(0);
    List<String> rest = all.subList(1, all.size());
    assertThat(AdminService.combine(List.of(part(first), part(rest.toArray(new String[0]))))
            .getMethods())
        .hasSize(all.size());
    assertThatThrownBy(() -> AdminService.combine(List.of(part(rest.toArray(new String[0])))))
        .hasMessageContaining(first + " has no handler");
    assertThatThrownBy(
            () -> AdminService.combine(List.of(part(first), part(all.toArray(new String[0])))))
        .hasMessageContaining("answered by two handlers");
  }

  @Test
  void theServedPartsCoverTheService() {
    // built from the real parts, as ControllerServer builds it: throws at start when an RPC lost
    // its handler
    ServerServiceDefinition d = AdminService.definition(
        null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(d.getMethods())
        .hasSize(AdminServiceGrpc.getServiceDescriptor().getMethods().size());
  }
}
