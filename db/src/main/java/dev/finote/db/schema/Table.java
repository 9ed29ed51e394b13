package dev.finote.db.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table in {@code public}. Maps are keyed by name; {@code columns} keeps the table's column
 * order for display, but equality ignores column order (PostgreSQL cannot reorder columns, and
 * a column added later to an existing table lands last: that is not drift).
 */
public record Table(String name, Map<String, Column> columns, KeyConstraint primaryKey,
                    Map<String, KeyConstraint> uniqueConstraints, Map<String, ForeignKey> foreignKeys,
                    Map<String, CheckConstraint> checks, Map<String, Index> indexes, String comment) {

    public Table {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        uniqueConstraints = sorted(uniqueConstraints);
        foreignKeys = sorted(foreignKeys);
        checks = sorted(checks);
        indexes = sorted(indexes);
    }

    static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    public Column column(String columnName) {
        return columns.get(columnName);
    }

    /** Every constraint name of this table (primary key, unique, foreign keys, checks). */
    public java.util.Set<String> constraintNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        if (primaryKey != null) names.add(primaryKey.name());
        names.addAll(uniqueConstraints.keySet());
        names.addAll(foreignKeys.keySet());
        names.addAll(checks.keySet());
        return names;
    }
}
