package io.macfleet.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * macfleet's subcommands, each built only when its name is on the command line. picocli reflects over every
 * subcommand it is given, and building all 21 (and what their fields pull in) was most of the CLI's start-up: a
 * user typing {@code macfleet hosts} pays for {@code hosts} alone. The top-level help and a mistyped name get
 * each command's name and description read from its annotation, which loads the class but builds nothing.
 */
final class Subcommands {
  /** In the order the top-level help lists them. */
  static final List<Class<?>> ALL = List.of(
      ServeCommand.class,
      HostsCommand.class,
      HostCommand.class,
      DriftCommand.class,
      EventsCommand.class,
      ClientsCommand.class,
      ReplayCommand.class,
      RunsCommand.class,
      RunCommand.class,
      ReportCommand.class,
      ScheduleCommand.class,
      VerdictsCommand.class,
      GateCommand.class,
      BaselineCommand.class,
      AuditCommand.class,
      SshCommand.class,
      RollbackCommand.class,
      MigrateCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      AnalyzeCommand.class,
      CommandLine.HelpCommand.class);

  private Subcommands() {}

  /**
   * The chosen subcommand, built; or, when the arguments name none of them, every name with its description (the
   * help and picocli's "did you mean" need no more); or all of them built for {@code macfleet help NAME} and for
   * arguments read from an {@code @FILE} (which only picocli reads).
   */
  static void add(CommandLine top, String[] args) {
    String chosen = chosen(args);
    if (chosen == null
        && args.length > 0
        && java.util.Arrays.stream(args).allMatch(a -> a.equals("-V") || a.equals("--version"))) {
      return; // the version alone needs no command at all
    }
    boolean all = "help".equals(chosen)
        || top.isExpandAtFiles() && java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("@"));
    for (Class<?> c : ALL) {
      Command ann = c.getAnnotation(Command.class);
      String name = ann.name();
      if (all || name.equals(chosen)) {
        top.addSubcommand(name, new CommandLine(c, top.getFactory()));
      } else if (chosen == null) {
        CommandSpec outline = CommandSpec.create().name(name);
        outline.usageMessage().description(ann.description());
        top.addSubcommand(name, new CommandLine(outline));
      }
    }
  }

  /** The first argument that is not one of macfleet's own options, when it names a subcommand; else null. */
  static String chosen(String[] args) {
    for (String a : args) {
      if (a.startsWith("-") && !a.equals("-")) {
        continue; // -h, -V: macfleet's own; anything else picocli will refuse with the full list
      }
      for (Class<?> c : ALL) {
        if (c.getAnnotation(Command.class).name().equals(a)) {
          return a;
        }
      }
      return null;
    }
    return null;
  }
}
