package dev.finote.db.backup;

import dev.finote.db.postgres.Jdbc;

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
 * The tables of the {@code public} schema a backup holds — all but Flyway's history, which
 * restore rebuilds by migrating — in an order that loads: a table referenced by a foreign
 * key comes before the tables referencing it.
 */
final class PublicTables {

    static final String HISTORY = "flyway_schema_history";

    /** A table: its name, whether it is partitioned (COPY then needs a query), its copyable columns. */
    record Table(String name, boolean partitioned, List<String> columns) {

        String qualified() {
            return "public." + Jdbc.quoteIdentifier(name);
        }

        String columnList() {
            return String.join(", ", columns.stream().map(Jdbc::quoteIdentifier).toList());
        }
    }

    private PublicTables() {
    }

    static List<Table> inLoadOrder(Connection connection) throws SQLException {
        Map<Long, Table> tables = new TreeMap<>();
        Map<Long, String> names = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.oid::bigint, c.relname, c.relkind = 'p'
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> ?
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                 ORDER BY c.relname""")) {
            statement.setString(1, HISTORY);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long oid = rows.getLong(1);
                    names.put(oid, rows.getString(2));
                    tables.put(oid, new Table(rows.getString(2), rows.getBoolean(3), columns(connection, oid)));
                }
            }
        }
        Map<Long, Set<Long>> dependsOn = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT conrelid::bigint, confrelid::bigint FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) dependsOn.computeIfAbsent(rows.getLong(1), k -> new HashSet<>()).add(rows.getLong(2));
        }
        // Kahn's algorithm, alphabetical among the ready ones; a cycle (rare) falls back to name order.
        List<Table> ordered = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        List<Long> remaining = new ArrayList<>(tables.keySet());
        remaining.sort((a, b) -> names.get(a).compareTo(names.get(b)));
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
