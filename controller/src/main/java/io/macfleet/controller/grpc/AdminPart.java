package io.macfleet.controller.grpc;

import io.grpc.ServerServiceDefinition;
import java.util.Set;

/** One concern's handlers of the admin service: the RPCs it answers (full method names) and its binding. */
interface AdminPart {
  Set<String> methods();

  ServerServiceDefinition bindService();
}
