package dev.finote.db.schema;

import java.util.List;

/**
 * A primary key or unique constraint.
 *
 * @param columns    the key columns, in order
 * @param definition {@code pg_get_constraintdef}, e.g. {@code UNIQUE (username)} or
 *                   {@code PRIMARY KEY (id)}; compared exactly, so NULLS NOT DISTINCT, INCLUDE and
 *                   DEFERRABLE count
 */
public record KeyConstraint(String name, boolean primaryKey, List<String> columns, String definition) {
    public KeyConstraint {
        columns = List.copyOf(columns);
    }
}
