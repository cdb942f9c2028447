package io.macfleet.controller.cli;

import io.macfleet.controller.security.DataDirectory;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.DatabaseCopy;
import io.macfleet.controller.store.DatabaseUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Copy a controller's embedded H2 database "
            + "into PostgreSQL (a fresh database), in one transaction, then check every table on both sides: row count and "
            + "a digest of its rows. Stop the controller first. Exit 0 when every table matches, 1 otherwise.")
final class MigrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The controller's data directory holding the H2 "
          + "database (default: $MACFLEET_HOME or ~/.macfleet).")
  Path dataDir;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description = "postgresql://HOST[:PORT]/DATABASE")
  String to;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "Database user (default: $MACFLEET_DB_USER or " + "macfleet).")
  String dbUser;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description = "File holding the database password " + "(default: $MACFLEET_DB_PASSWORD).")
  Path dbPasswordFile;

  @Override
  public Integer call() throws Exception {
    Path dir = DataDirectory.resolve(dataDir);
    if (!Files.exists(dir.resolve("macfleet.mv.db"))) {
      throw new CliException(
          ExitCodes.USAGE, "no H2 database in " + dir + " (macfleet.mv.db); pass --data-dir");
    }
    String url = DatabaseUrl.jdbc(to);
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new CliException(ExitCodes.USAGE, "--to must be a PostgreSQL database");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<DatabaseCopy.TableCheck> checks;
    try (Database source = Database.open(Database.h2Url(dir), "", "", 2);
        Database target =
            Database.open(url, DatabaseUrl.user(dbUser), DatabaseUrl.password(dbPasswordFile), 2)) {
      checks = DatabaseCopy.copy(source, target, out::println);
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.ERROR, e.getMessage());
    }
    Table t = new Table("TABLE", "H2 ROWS", "POSTGRESQL ROWS", "DIGEST", "MATCH");
    boolean all = true;
    for (DatabaseCopy.TableCheck c : checks) {
      t.add(
          c.table(),
          String.valueOf(c.sourceRows()),
          String.valueOf(c.targetRows()),
          c.sourceDigest().substring(0, 16),
          c.matches() ? "yes" : "NO (" + c.targetDigest().substring(0, 16) + ")");
      all &= c.matches();
    }
    t.print(out);
    out.println(
        all
            ? "every table matches; start the controllers with --db " + to
            : "MISMATCH: do not switch to the copy; the H2 database is untouched");
    return all ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
