package io.macfleet.agent.collect.clients;

import io.macfleet.agent.collect.parse.Endpoint;

/** An established TCP socket and who holds it (pid 0 and command "" when the owner could not be read). */
public record SocketOwner(int pid, String command, Endpoint local, Endpoint remote) {}
