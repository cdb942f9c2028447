package io.macfleet.agent.log;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's SLF4J backend, chosen by {@code slf4j.provider} when the agent's own main starts (so a program that
 * embeds the agent's classes keeps its own backend). The level is {@code macfleet.agent.log.level} (default info).
 */
public final class AgentLogProvider implements SLF4JServiceProvider {
  /** The system property that selects this provider, and the one that sets the level. */
  public static final String SELECT = "slf4j.provider";

  public static final String LEVEL = "macfleet.agent.log.level";

  private ILoggerFactory factory;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Makes this the backend of every logger created from now on in this JVM. */
  public static void select() {
    System.setProperty(SELECT, AgentLogProvider.class.getName());
    // SLF4J would otherwise announce the explicit choice on stderr at every start
    System.setProperty("slf4j.internal.verbosity", "WARN");
  }

  @Override
  public void initialize() {
    Level level = level(System.getProperty(LEVEL, "info"));
    Map<String, Logger> loggers = new ConcurrentHashMap<>();
    factory = name -> loggers.computeIfAbsent(name, n -> new AgentLogger(n, level, System.err));
  }

  static Level level(String name) {
    try {
      return Level.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
