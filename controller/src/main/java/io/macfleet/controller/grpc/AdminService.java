package io.macfleet.controller.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.macfleet.controller.fleet.AuditLog;
import io.macfleet.controller.fleet.FleetService;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.schedule.ScheduleService;
import io.macfleet.controller.ssh.RollbackLadder;
import io.macfleet.controller.ssh.SshService;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.InterchangeRepository;
import io.macfleet.controller.store.VerdictRepository;
import io.macfleet.controller.verdict.BaselineService;
import io.macfleet.proto.v1.AdminServiceGrpc;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The admin service as served: one gRPC service, its handlers split by concern (hosts, runs, schedules, data,
 * remote operations, audit), each RPC answered by exactly one of them.
 */
public final class AdminService {
  private AdminService() {}

  public static ServerServiceDefinition definition(
      FleetService fleet,
      RunService runs,
      ScheduleService schedules,
      AgentSessions sessions,
      Clock clock,
      InterchangeRepository data,
      VerdictRepository verdicts,
      BaselineService baselines,
      HostRepository hosts,
      AuditLog audit,
      SshService ssh,
      RollbackLadder ladder) {
    AdminAnswers answers = new AdminAnswers(audit);
    return combine(List.of(
        new HostsAdmin(fleet, runs, sessions, clock, answers),
        new RunsAdmin(runs, clock, answers),
        new SchedulesAdmin(schedules, answers),
        new DataAdmin(data, verdicts, baselines, hosts, clock, answers),
        new RemoteAdmin(ssh, ladder, fleet, answers),
        new AuditAdmin(audit, clock, answers)));
  }

  /** The parts' handlers as one service; an RPC answered twice or not at all is a programming error. */
  static ServerServiceDefinition combine(List<? extends AdminPart> parts) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(AdminServiceGrpc.getServiceDescriptor());
    Set<String> bound = new HashSet<>();
    for (AdminPart p : parts) {
      ServerServiceDefinition all = p.bindService();
      for (String m : p.methods()) {
        if (!bound.add(m)) {
          throw new IllegalStateException(m + " is answered by two handlers");
        }
        b.addMethod(all.getMethod(m));
      }
    }
    for (MethodDescriptor<?, ?> m : AdminServiceGrpc.getServiceDescriptor().getMethods()) {
      if (!bound.contains(m.getFullMethodName())) {
        throw new IllegalStateException(m.getFullMethodName() + " has no handler");
      }
    }
    return b.build();
  }
}
