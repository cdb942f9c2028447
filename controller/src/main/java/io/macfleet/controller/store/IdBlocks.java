package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Hands out ids from blocks reserved in the id_blocks table, one short transaction per block. Several
 * controllers on one database each reserve their own blocks, so ids never collide and no controller waits on
 * another's transaction; an unused rest of a block is simply skipped after a restart.
 */
public final class IdBlocks {
  private final DataSource ds;
  private final String name;
  private final int blockSize;
  private long next;
  private long limit;

  public IdBlocks(DataSource ds, String name, int blockSize) {
    this.ds = ds;
    this.name = name;
    this.blockSize = blockSize;
  }

  /**
   * Makes sure the next n ids come from memory. Called before a transaction opens, so that handing out ids never
   * needs a second connection while the caller holds one (a small pool could then wait on itself).
   */
  public synchronized void ensure(int n) {
    if (limit - next < n) {
      reserve(Math.max(blockSize, n));
    }
  }

  public synchronized long next() {
    if (next >= limit) {
      reserve(blockSize);
    }
    return next++;
  }

  private void reserve(int size) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement up =
              c.prepareStatement("UPDATE id_blocks SET next_id = next_id + ? WHERE name = ?");
          PreparedStatement get =
              c.prepareStatement("SELECT next_id FROM id_blocks WHERE name = ?")) {
        up.setLong(1, size);
        up.setString(2, name);
        if (up.executeUpdate() != 1) {
          throw new StoreException(
              "no id block named " + name + " (is the schema migrated?)", null);
        }
        get.setString(1, name);
        try (ResultSet rs = get.executeQuery()) {
          rs.next();
          limit = rs.getLong(1);
          next = limit - size;
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        next = limit = 0;
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("reserving ids for " + name, e);
    }
  }
}
