package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.macfleet.proto.v1.AgentServiceGrpc;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class AgentServiceDefinitionTest {
  @Test
  void servesEveryGeneratedMethodUnderItsNameWithConnectKeepingTheAgentsBytes() {
    ServerServiceDefinition served = new AgentGrpcService(
            null, null, null, null, null, Clock.systemUTC(), null, null)
        .definition();

    assertThat(served.getMethods())
        .extracting(m -> m.getMethodDescriptor().getFullMethodName())
        .containsExactlyInAnyOrderElementsOf(
            AgentServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(m -> m.getFullMethodName())
                .toList());
    assertThat(served
            .getMethod(AgentServiceGrpc.getConnectMethod().getFullMethodName())
            .getMethodDescriptor()
            .getRequestMarshaller())
        .isSameAs(ReceivedAgentMessage.MARSHALLER);
    // server reflection describes a service by its schema: it must still be the generated one
    assertThat(served.getServiceDescriptor().getSchemaDescriptor())
        .isInstanceOf(ProtoServiceDescriptorSupplier.class)
        .isSameAs(AgentServiceGrpc.getServiceDescriptor().getSchemaDescriptor());
  }
}
