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
 * destroy: every table of {@code public} (Flyway's history included) with its exact row
 * count, the other objects of {@code public} (sequences, views, functions, types,
 * extensions), and the old Node backend's {@code drizzle} schema (its migration history)
 * when an adopted database still has it.
 */
public record DatabaseInventory(String database, List<TableRows> tables, List<String> otherObjects) {

    public record TableRows(String name, long rows) {
    }

    public boolean isEmpty() {
        return tables.isEmpty() && otherObjects.isEmpty();
    }

    public static DatabaseInventory of(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            List<String> tableNames = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                     ORDER BY c.relname""")) {
                while (rows.next()) tableNames.add(rows.getString(1));
            }
            List<TableRows> tables = new ArrayList<>();
            for (String name : tableNames) {
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM public." + Jdbc.quoteIdentifier(name))) {
                    count.next();
                    tables.add(new TableRows(name, count.getLong(1)));
                }
            }
            List<String> others = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT kind || ' ' || name FROM (
                      SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                            WHEN 'f' THEN 'foreign table' END AS kind, c.relname AS name
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind IN ('S', 'v', 'm', 'f')
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
                      UNION ALL
                      SELECT 'function', p.oid::regprocedure::text FROM pg_proc p
                       WHERE p.pronamespace = 'public'::regnamespace
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
                      UNION ALL
                      SELECT 'type', t.typname FROM pg_type t
                       WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'c')
                         AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
                      UNION ALL
                      SELECT 'extension', e.extname FROM pg_extension e WHERE e.extnamespace = 'public'::regnamespace
                      UNION ALL
                      SELECT 'schema', nspname || ' (the old Node backend''s migration history)' FROM pg_namespace WHERE nspname = 'drizzle'
                    ) AS objects ORDER BY 1""")) {
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
                    table.name().equals(PublicTables.HISTORY) ? "  (the migration history)" : "");
        }
        for (String other : otherObjects) out.println("  " + other);
        if (isEmpty()) out.println("  nothing: the database is empty");
        out.flush();
    }

    public long totalRows() {
        return tables.stream().filter(t -> !t.name().equals(PublicTables.HISTORY)).mapToLong(TableRows::rows).sum();
    }
}
