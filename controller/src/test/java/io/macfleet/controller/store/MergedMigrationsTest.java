package io.macfleet.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the per-database copies of V1–V17 (src/test/resources/legacy-db, dumped at the last commit
 * that had them) opens with today's single set of migrations: its checksums are realigned, V18 gives H2's binary
 * columns the shared type, and it ends with exactly the schema a fresh database gets, rows intact. A migration
 * edited after it ran is still refused.
 */
class MergedMigrationsTest {
  private static final Path DUMPS = Path.of("src/test/resources/legacy-db");

  @TempDir
  Path tmp;

  @Test
  void anOldH2DatabaseEndsWithTheSchemaOfAFreshOneAndKeepsItsRows() throws Exception {
    String fresh = Database.h2Url(tmp.resolve("fresh"));
    String old = Database.h2Url(tmp.resolve("old"));
    restoreH2(old);
    upgradesLikeFresh(fresh, old, "", "");
  }

  @Test
  void anOldPostgresDatabaseEndsWithTheSchemaOfAFreshOneAndKeepsItsRows() throws Exception {
    String fresh = TestPostgres.create();
    String old = TestPostgres.create();
    try {
      restorePostgres(old);
      upgradesLikeFresh(fresh, old, TestPostgres.user(), TestPostgres.password());
    } finally {
      TestPostgres.drop(fresh);
      TestPostgres.drop(old);
    }
  }

  @Test
  void aMigrationEditedAfterItRanIsStillRefused() throws Exception {
    String old = Database.h2Url(tmp.resolve("edited"));
    restoreH2(old);
    try (Connection c = DriverManager.getConnection(old, "", "");
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE \"flyway_schema_history\" SET \"checksum\" = 12345 WHERE \"version\" = '3'");
    }
    assertThatThrownBy(() -> Database.open(old, "", "", 2))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("12345");
  }

  private static void upgradesLikeFresh(String freshUrl, String oldUrl, String user, String pw)
      throws Exception {
    Flyway before = Flyway.configure()
        .dataSource(oldUrl, user, pw)
        .locations(Dialect.forJdbcUrl(oldUrl).migrations())
        .load();
    assertThat(before.validateWithResult().getAllErrorMessages()).contains("checksum mismatch");

    String freshSchema;
    List<String> freshHistory;
    try (Database db = Database.open(freshUrl, user, pw, 2)) {
      freshSchema = schema(db);
      freshHistory = history(db);
    }
    try (Database db = Database.open(oldUrl, user, pw, 2)) {
      assertThat(schema(db)).isEqualTo(freshSchema);
      assertThat(history(db)).isEqualTo(freshHistory);
      assertThat(freshHistory).anyMatch(m -> m.startsWith("18 one schema"));
      assertThat(before.validateWithResult().validationSuccessful).isTrue();

      HostRow host = new HostRepository(db).findByName("mac-old", true).orElseThrow();
      assertThat(host.lastSeq()).isEqualTo(7);
      assertThat(host.snapshot()).containsExactly(10, 7, 'm', 'a', 'c', '-', 'o', 'l', 'd');
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT r.spec, r.result_json, v.body, b.steps_json "
                  + "FROM runs r JOIN verdicts v ON v.run_id = r.id JOIN rollbacks b ON b.model = r.model")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).containsExactly(8, 1, 16, 24);
        assertThat(rs.getString(2)).isEqualTo("{\"levels\":1}");
        assertThat(rs.getString(3)).isEqualTo("{\"verdict\":\"clean\"}");
        assertThat(rs.getString(4)).isEqualTo("[\"stop\",\"pin\"]");
      }
    }
  }

  private static void restoreH2(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "", "");
        Statement s = c.createStatement()) {
      s.execute("RUNSCRIPT FROM '" + DUMPS.resolve("h2-v17.sql").toAbsolutePath() + "'");
    }
  }

  private static void restorePostgres(String url) throws Exception {
    try (Connection c =
            DriverManager.getConnection(url, TestPostgres.user(), TestPostgres.password());
        Statement s = c.createStatement()) {
      s.execute(Files.readString(DUMPS.resolve("postgresql-v17.sql")));
    }
  }

  /** Flyway's history as "version description checksum", one per applied migration. */
  private static List<String> history(Database db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT \"version\", \"description\", \"checksum\", \"success\" "
                + "FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2)
            + (rs.getInt(3) == 0 ? "" : " " + rs.getInt(3)) + (rs.getBoolean(4) ? "" : " FAILED"));
      }
    }
    return out;
  }

  /**
   * Every table's columns (type, size, nullability, default), primary key, indexes (uniqueness and columns) and
   * foreign keys, as text, without Flyway's own table. Index names are left out: H2 names the ones it makes for
   * constraints by a counter, which differs with the order the database was built in.
   */
  private static String schema(Database db) throws SQLException {
    TreeMap<String, TreeSet<String>> out = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      String schema = c.getSchema();
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String t = rs.getString("TABLE_NAME");
          if (!t.equalsIgnoreCase("flyway_schema_history")) {
            tables.add(t);
          }
        }
      }
      for (String t : tables) {
        TreeSet<String> facts =
            out.computeIfAbsent(t.toLowerCase(Locale.ROOT), k -> new TreeSet<>());
        try (ResultSet rs = md.getColumns(null, schema, t, "%")) {
          while (rs.next()) {
            facts.add("column " + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                + rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + ") nullable="
                + rs.getInt("NULLABLE") + " default=" + rs.getString("COLUMN_DEF"));
          }
        }
        try (ResultSet rs = md.getPrimaryKeys(null, schema, t)) {
          while (rs.next()) {
            facts.add("pk " + rs.getShort("KEY_SEQ") + " "
                + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
        TreeMap<String, TreeMap<Short, String>> indexes = new TreeMap<>();
        try (ResultSet rs = md.getIndexInfo(null, schema, t, false, false)) {
          while (rs.next()) {
            if (rs.getString("COLUMN_NAME") != null) {
              indexes
                  .computeIfAbsent(
                      rs.getString("INDEX_NAME") + (rs.getBoolean("NON_UNIQUE") ? "" : " unique"),
                      k -> new TreeMap<>())
                  .put(
                      rs.getShort("ORDINAL_POSITION"),
                      rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
          }
        }
        indexes.forEach((name, cols) ->
            facts.add("index" + (name.endsWith(" unique") ? " unique " : " ") + cols.values()));
        try (ResultSet rs = md.getImportedKeys(null, schema, t)) {
          while (rs.next()) {
            facts.add("fk " + rs.getString("FKCOLUMN_NAME").toLowerCase(Locale.ROOT) + " -> "
                + rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT) + "."
                + rs.getString("PKCOLUMN_NAME").toLowerCase(Locale.ROOT) + " on delete "
                + rs.getShort("DELETE_RULE"));
          }
        }
      }
    }
    StringBuilder text = new StringBuilder();
    out.forEach(
        (t, facts) -> facts.forEach(f -> text.append(t).append(' ').append(f).append('\n')));
    return text.toString();
  }
}
