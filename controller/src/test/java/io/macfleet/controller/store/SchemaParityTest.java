package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 and PostgreSQL share one set of migrations but each has its own Quartz tables (V4): after both have
 * run, the two databases must have the same tables with the same columns, and `macfleet migrate` must know every
 * one of those tables — a table added to one dialect only, or left out of the copy, fails here rather than in a
 * fleet's migration.
 */
class SchemaParityTest {
  @TempDir
  Path tmp;

  @Test
  void bothDialectsEndWithTheSameTablesAndColumnsAndMigrateCopiesThemAll() throws Exception {
    String url = TestPostgres.create();
    try (Database h2 = Database.open(Database.h2Url(tmp), "", "", 2);
        Database pg = Database.open(url, TestPostgres.user(), TestPostgres.password(), 2)) {
      Map<String, TreeSet<String>> h2Schema = columns(h2, "PUBLIC");
      Map<String, TreeSet<String>> pgSchema = columns(pg, "public");
      assertThat(h2Schema).isNotEmpty().containsKey("reports");
      assertThat(pgSchema).isEqualTo(h2Schema);
      assertThat(h2Schema.keySet())
          .isEqualTo(
              Stream.concat(DatabaseCopy.TABLES.stream(), DatabaseCopy.SEEDED_TABLES.stream())
                  .collect(Collectors.toCollection(TreeSet::new)));
    } finally {
      TestPostgres.drop(url);
    }
  }

  /** Table → column names, lower case, without Flyway's own history table. */
  private static Map<String, TreeSet<String>> columns(Database db, String schema)
      throws SQLException {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection();
        ResultSet rs = c.getMetaData().getColumns(null, schema, "%", "%")) {
      while (rs.next()) {
        String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (!table.equals("flyway_schema_history")) {
          out.computeIfAbsent(table, t -> new TreeSet<>())
              .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }
}
