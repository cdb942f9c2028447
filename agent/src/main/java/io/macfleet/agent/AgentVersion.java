package io.macfleet.agent;

/** The build version, from the jar manifest when packaged. */
public final class AgentVersion {
  private AgentVersion() {}

  public static String get() {
    String v = AgentVersion.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-dev" : v;
  }
}
