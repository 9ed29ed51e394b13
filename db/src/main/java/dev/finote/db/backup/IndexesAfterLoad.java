package dev.finote.db.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads fast the way pg_restore does: inside the load's transaction, the indexes, primary
 * and unique keys and foreign keys of the tables about to be filled are dropped, and
 * recreated from their own definitions ({@code pg_get_indexdef}, {@code pg_get_constraintdef})
 * once the rows are in. Building an index once is much cheaper than maintaining it row by
 * row, and a foreign key is then checked with one join instead of one lookup per row. It is
 * all one transaction, so a failure leaves every definition as it was.
 *
 * <p>Only plain tables take part (partitioned tables keep their indexes: recreating them
 * would not restore the names of the partitions' own indexes). When a foreign key from a
 * partitioned table or from outside the managed schemas references a plain table, nothing is
 * dropped at all and the load simply keeps every index in place: slower, equally correct.
 */
final class IndexesAfterLoad {

    private final List<String> drops;
    private final List<String> creates;

    private IndexesAfterLoad(List<String> drops, List<String> creates) {
        this.drops = drops;
        this.creates = creates;
    }

    /** Plans the drops and re-creations for the plain tables of the managed schemas (but Flyway's history). */
    static IndexesAfterLoad plan(Connection connection) throws SQLException {
        String plainTables = """
                SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE""" + ManagedTables.managed("n") + """
                   AND c.relkind = 'r' AND NOT c.relispartition AND NOT c.relhassubclass
                   AND NOT (n.nspname = 'public' AND c.relname = 'flyway_schema_history')""";
        try (Statement statement = connection.createStatement()) {
            // A foreign key into a plain table from anything else (a partitioned table, another schema) pins its key.
            try (ResultSet involved = statement.executeQuery("""
                    SELECT count(*) FROM pg_constraint k
                     WHERE k.contype = 'f' AND k.confrelid IN (%1$s) AND (k.conrelid NOT IN (%1$s) OR k.conparentid <> 0)"""
                    .formatted(plainTables))) {
                involved.next();
                if (involved.getLong(1) > 0) return new IndexesAfterLoad(List.of(), List.of());
            }
            List<String> foreignKeys = new ArrayList<>();
            List<String> dropForeignKeys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT k.conrelid::regclass::text, quote_ident(k.conname), pg_get_constraintdef(k.oid)
                      FROM pg_constraint k
                     WHERE k.contype = 'f' AND (k.conrelid IN (%1$s) OR k.confrelid IN (%1$s))
                     ORDER BY 1, 2""".formatted(plainTables))) {
                while (rows.next()) {
                    dropForeignKeys.add("ALTER TABLE " + rows.getString(1) + " DROP CONSTRAINT " + rows.getString(2));
                    foreignKeys.add("ALTER TABLE " + rows.getString(1) + " ADD CONSTRAINT " + rows.getString(2) + " " + rows.getString(3));
                }
            }
            List<String> keys = new ArrayList<>();
            List<String> dropKeys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT k.conrelid::regclass::text, quote_ident(k.conname), pg_get_constraintdef(k.oid)
                      FROM pg_constraint k JOIN pg_index i ON i.indexrelid = k.conindid
                     WHERE k.contype IN ('p', 'u', 'x') AND k.conrelid IN (%1$s) AND NOT i.indisreplident
                     ORDER BY k.contype, 1, 2""".formatted(plainTables))) {
                while (rows.next()) {
                    dropKeys.add("ALTER TABLE " + rows.getString(1) + " DROP CONSTRAINT " + rows.getString(2));
                    keys.add("ALTER TABLE " + rows.getString(1) + " ADD CONSTRAINT " + rows.getString(2) + " " + rows.getString(3));
                }
            }
            List<String> indexes = new ArrayList<>();
            List<String> dropIndexes = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                      FROM pg_index i
                     WHERE i.indrelid IN (%1$s) AND NOT i.indisreplident
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                     ORDER BY 1""".formatted(plainTables))) {
                while (rows.next()) {
                    dropIndexes.add("DROP INDEX " + rows.getString(1));
                    indexes.add(rows.getString(2));
                }
            }
            List<String> drops = new ArrayList<>(dropForeignKeys);
            drops.addAll(dropKeys);
            drops.addAll(dropIndexes);
            List<String> creates = new ArrayList<>(keys);
            creates.addAll(indexes);
            creates.addAll(foreignKeys);
            return new IndexesAfterLoad(drops, creates);
        }
    }

    void dropBeforeLoad(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String drop : drops) statement.execute(drop);
        }
    }

    void recreateAfterLoad(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String create : creates) statement.execute(create);
        }
    }
}
