package io.macfleet.controller.grpc;

import io.grpc.stub.StreamObserver;
import io.macfleet.controller.fleet.FleetException;
import io.macfleet.controller.fleet.FleetService;
import io.macfleet.controller.store.HostRow;
import io.macfleet.proto.v1.AdminServiceGrpc;

/** Remote operations over SSH: the controller's key, host keys, the agentless check, the rollback ladder. */
final class RemoteAdmin extends AdminServiceGrpc.AdminServiceImplBase implements AdminPart {
  private final io.macfleet.controller.ssh.SshService ssh;
  private final io.macfleet.controller.ssh.RollbackLadder ladder;
  private final FleetService fleet;
  private final AdminAnswers answers;

  RemoteAdmin(
      io.macfleet.controller.ssh.SshService ssh,
      io.macfleet.controller.ssh.RollbackLadder ladder,
      FleetService fleet,
      AdminAnswers answers) {
    this.ssh = ssh;
    this.ladder = ladder;
    this.fleet = fleet;
    this.answers = answers;
  }

  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of(
        AdminServiceGrpc.getSshKeyMethod().getFullMethodName(),
        AdminServiceGrpc.getSshTrustMethod().getFullMethodName(),
        AdminServiceGrpc.getSshCheckMethod().getFullMethodName(),
        AdminServiceGrpc.getRollbackMethod().getFullMethodName());
  }

  @Override
  public void sshKey(
      io.macfleet.proto.v1.SshKeyRequest req,
      StreamObserver<io.macfleet.proto.v1.SshKeyResponse> out) {
    AdminAnswers.answer(out, () -> {
      try {
        return io.macfleet.proto.v1.SshKeyResponse.newBuilder()
            .setPublicKey(io.macfleet.controller.ssh.ControllerSshKey.publicLine(ssh.key()))
            .build();
      } catch (java.io.IOException e) {
        throw new FleetException(FleetException.Kind.UNAVAILABLE, e.getMessage());
      }
    });
  }

  @Override
  public void sshTrust(
      io.macfleet.proto.v1.SshTrustRequest req,
      StreamObserver<io.macfleet.proto.v1.SshTrustResponse> out) {
    AdminAnswers.answer(out, () -> {
      var t = ssh.trust(AuthInterceptor.ACTOR.get(), req.getHost(), req.getReplace());
      return io.macfleet.proto.v1.SshTrustResponse.newBuilder()
          .setKnownHostsName(t.name())
          .setFingerprint(t.fingerprint())
          .setPreviousFingerprint(t.previous())
          .setChanged(t.changed())
          .build();
    });
  }

  @Override
  public void sshCheck(
      io.macfleet.proto.v1.SshCheckRequest req,
      StreamObserver<io.macfleet.proto.v1.SshCheckResponse> out) {
    AdminAnswers.answer(out, () -> {
      var o = ssh.check(AuthInterceptor.ACTOR.get(), req.getHost());
      return io.macfleet.proto.v1.SshCheckResponse.newBuilder()
          .setHost(req.getHost())
          .setState(o.state().wire())
          .setSummary(o.summary())
          .addAllEvidence(o.evidence())
          .build();
    });
  }

  @Override
  public void rollback(
      io.macfleet.proto.v1.RollbackRequest req,
      StreamObserver<io.macfleet.proto.v1.RollbackResponse> out) {
    AdminAnswers.answer(out, () -> {
      HostRow h = fleet.get(req.getHost(), false);
      var o = new io.macfleet.controller.ssh.RollbackLadder.Options(
          req.getModel(),
          req.getGgufTag().isBlank() ? null : req.getGgufTag(),
          req.getPinOllama(),
          req.getPolicy().isBlank() ? "lab" : req.getPolicy(),
          req.getDryRun(),
          req.getProbeSamples() == 0 ? 24 : req.getProbeSamples(),
          java.time.Duration.ofSeconds(req.getProbeTimeoutS() == 0 ? 600 : req.getProbeTimeoutS()));
      io.macfleet.controller.ssh.RollbackLadder.Report r;
      try {
        r = ladder.run(AuthInterceptor.ACTOR.get(), h, o);
      } catch (IllegalArgumentException e) {
        throw new FleetException(FleetException.Kind.INVALID, e.getMessage());
      }
      var b = io.macfleet.proto.v1.RollbackResponse.newBuilder()
          .setId(r.id())
          .setHost(r.host())
          .setModel(r.model())
          .setPolicy(r.policy())
          .setDryRun(r.dryRun())
          .setOutcome(r.outcome());
      for (var st : r.steps()) {
        b.addSteps(io.macfleet.proto.v1.RollbackStep.newBuilder()
            .setNumber(st.number())
            .setName(st.name())
            .setStatus(st.status().wire())
            .addAllCommands(st.commands())
            .setDetail(st.detail()));
      }
      return b.build();
    });
  }
}
