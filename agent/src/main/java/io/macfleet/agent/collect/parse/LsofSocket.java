package io.macfleet.agent.collect.parse;

/** One socket from `lsof -F`: its process, descriptor, endpoints (remote null for a listener) and TCP state. */
public record LsofSocket(
    int pid, String command, String fd, Endpoint local, Endpoint remote, String state) {}
