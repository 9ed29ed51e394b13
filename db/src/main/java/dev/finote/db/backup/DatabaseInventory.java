package dev.finote.db.backup;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What this project manages in a database, and so what reset and an overwriting restore
 * destroy: every table of the managed schemas ({@link ManagedTables#managed}: {@code public}
 * and the user's own; Flyway's history included) with its exact row count, their other
 * objects (sequences, views, functions, types, extensions), the schemas besides
 * {@code public} themselves, and the old Node backend's {@code drizzle} schema (its
 * migration history) when an adopted database still has it. A table outside {@code public}
 * is named {@code schema.name}.
 */
public record DatabaseInventory(String database, List<TableRows> tables, List<String> otherObjects) {

    public record TableRows(String name, long rows) {
    }

    public boolean isEmpty() {
        return tables.isEmpty() && otherObjects.isEmpty();
    }

    public static DatabaseInventory of(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            List<String[]> tableNames = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE""" + ManagedTables.managed("n") + """
                       AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                     ORDER BY n.nspname <> 'public', n.nspname, c.relname""")) {
                while (rows.next()) tableNames.add(new String[]{rows.getString(1), rows.getString(2)});
            }
            List<TableRows> tables = new ArrayList<>();
            for (String[] name : tableNames) {
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM " + Jdbc.quoteIdentifier(name[0]) + "." + Jdbc.quoteIdentifier(name[1]))) {
                    count.next();
                    tables.add(new TableRows(ManagedTables.key(name[0], name[1]), count.getLong(1)));
                }
            }
            // Names in public bare, elsewhere schema-qualified, as the tables above.
            String named = "CASE WHEN n.nspname = 'public' THEN %1$s ELSE n.nspname || '.' || %1$s END";
            List<String> others = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT kind || ' ' || name FROM (
                      SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                            WHEN 'f' THEN 'foreign table' END AS kind, %2$s AS name
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE %1$s AND c.relkind IN ('S', 'v', 'm', 'f')
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
                      UNION ALL
                      SELECT 'function', p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE %1$s
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
                      UNION ALL
                      SELECT 'type', %3$s FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                       WHERE %1$s AND t.typtype IN ('e', 'd', 'r', 'c')
                         AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
                      UNION ALL
                      SELECT 'extension', e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE %1$s
                      UNION ALL
                      SELECT 'schema', n.nspname || ' (with everything in it)' FROM pg_namespace n WHERE %1$s AND n.nspname <> 'public'
                      UNION ALL
                      SELECT 'schema', nspname || ' (the old Node backend''s migration history)' FROM pg_namespace WHERE nspname = 'drizzle'
                    ) AS objects ORDER BY 1""".formatted(ManagedTables.managed("n"), named.formatted("c.relname"), named.formatted("t.typname")))) {
                while (rows.next()) others.add(rows.getString(1));
            }
            return new DatabaseInventory(url.database(), List.copyOf(tables), List.copyOf(others));
        } catch (SQLException e) {
            throw new DatabaseException("could not list what database " + url.describe() + " holds: " + e.getMessage(), e);
        }
    }

    /** Prints the tables with their row counts, then the other objects: what would be destroyed. */
    public void print(PrintWriter out) {
        int width = tables.stream().mapToInt(t -> t.name().length()).max().orElse(5);
        for (TableRows table : tables) {
            out.printf("  table  %-" + width + "s %,12d rows%s%n", table.name(), table.rows(),
                    table.name().equals(ManagedTables.HISTORY) ? "  (the migration history)" : "");
        }
        for (String other : otherObjects) out.println("  " + other);
        if (isEmpty()) out.println("  nothing: the database is empty");
        out.flush();
    }

    public long totalRows() {
        return tables.stream().filter(t -> !t.name().equals(ManagedTables.HISTORY)).mapToLong(TableRows::rows).sum();
    }
}
