package io.macfleet.controller.store;

/** What authenticating a node key needs: which host, which enrollment, revoked or not. */
public record HostCredential(String hostId, String name, int epoch, boolean revoked) {}
