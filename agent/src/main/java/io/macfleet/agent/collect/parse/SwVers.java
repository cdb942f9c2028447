package io.macfleet.agent.collect.parse;

/** The macOS product triple as sw_vers prints it; extra is the RSR/BSI suffix such as "(a)". */
public record SwVers(
    String productName, String productVersion, String productVersionExtra, String buildVersion) {}
