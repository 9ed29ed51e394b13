package dev.finote.db.backup;

import dev.finote.db.postgres.Jdbc;
import dev.finote.db.schema.CatalogReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables a backup holds: those of every schema the schema engine manages ({@link #managed}:
 * {@code public} and the user's own), all but Flyway's history, which restore rebuilds by
 * migrating; in an order that loads: a table referenced by a foreign key (from any schema)
 * comes before the tables referencing it.
 */
final class ManagedTables {

    static final String HISTORY = "flyway_schema_history";

    /**
     * In a schema the schema engine reads ({@link CatalogReader#managed}: public, and every other one but
     * PostgreSQL's own, {@code information_schema}, the old Node backend's {@code drizzle} and those an
     * extension owns), so that what {@code generate} and {@code migrate} manage is what backup, restore
     * and reset cover. {@code namespace} is a pg_namespace alias.
     */
    static String managed(String namespace) {
        return CatalogReader.managed(namespace);
    }

    /** A table: its schema and name, whether it is partitioned (COPY then needs a query), its copyable columns. */
    record Table(String schema, String name, boolean partitioned, List<String> columns) {

        String qualified() {
            return Jdbc.quoteIdentifier(schema) + "." + Jdbc.quoteIdentifier(name);
        }

        /** How the backup, its trailer and the output name it: bare in public (as format 1 did), {@code schema.name} elsewhere. */
        String key() {
            return ManagedTables.key(schema, name);
        }

        String columnList() {
            return String.join(", ", columns.stream().map(Jdbc::quoteIdentifier).toList());
        }
    }

    static String key(String schema, String name) {
        return schema.equals("public") ? name : schema + "." + name;
    }

    private ManagedTables() {
    }

    static List<Table> inLoadOrder(Connection connection) throws SQLException {
        Map<Long, Table> tables = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.oid::bigint, n.nspname, c.relname, c.relkind = 'p'
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE""" + managed("n") + """
                   AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT (n.nspname = 'public' AND c.relname = ?)
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')""")) {
            statement.setString(1, HISTORY);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long oid = rows.getLong(1);
                    tables.put(oid, new Table(rows.getString(2), rows.getString(3), rows.getBoolean(4), columns(connection, oid)));
                }
            }
        }
        Map<Long, Set<Long>> dependsOn = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT conrelid::bigint, confrelid::bigint FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) dependsOn.computeIfAbsent(rows.getLong(1), k -> new HashSet<>()).add(rows.getLong(2));
        }
        // Kahn's algorithm, in key order (public's tables by name first) among the ready ones; a cycle (rare) falls back to that order.
        List<Table> ordered = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        List<Long> remaining = new ArrayList<>(tables.keySet());
        remaining.sort((a, b) -> sortKey(tables.get(a)).compareTo(sortKey(tables.get(b))));
        while (!remaining.isEmpty()) {
            Long next = remaining.stream()
                    .filter(oid -> dependsOn.getOrDefault(oid, Set.of()).stream().allMatch(dep -> done.contains(dep) || !tables.containsKey(dep)))
                    .findFirst().orElse(remaining.getFirst());
            remaining.remove(next);
            done.add(next);
            ordered.add(tables.get(next));
        }
        return ordered;
    }

    private static String sortKey(Table table) {
        return (table.schema().equals("public") ? "0" : "1" + table.schema() + "\u0000") + table.name();
    }

    /** Columns COPY can read and write back: not dropped, not generated. */
    static List<String> columns(Connection connection, long tableOid) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT attname FROM pg_attribute WHERE attrelid::bigint = ? AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum")) {
            statement.setLong(1, tableOid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) columns.add(rows.getString(1));
            }
        }
        return columns;
    }
}
