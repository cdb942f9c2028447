package io.macfleet.controller.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;

/** StoreTest's cases on PostgreSQL: the same repositories, the dialect's own migrations and upserts. */
class PostgresStoreTest extends StoreTest {
  private final Map<Path, String> databases = new ConcurrentHashMap<>();

  @Override
  Database open(Path dir) {
    String url = databases.computeIfAbsent(dir, d -> TestPostgres.create());
    Database db = Database.open(url, TestPostgres.user(), TestPostgres.password(), 2);
    if (!db.dialect().name().equals("postgresql")) {
      throw new AssertionError(
          "expected the PostgreSQL dialect, got " + db.dialect().name());
    }
    return db;
  }

  @AfterEach
  void dropDatabases() {
    databases.values().forEach(TestPostgres::drop);
  }
}
