package dev.finote.db.schema;

import java.util.Set;

/**
 * A view in {@code public}.
 *
 * @param name         its name
 * @param definition   {@code CREATE VIEW name [WITH (options)] AS …} as PostgreSQL prints the query
 *                     ({@code pg_get_viewdef}), without a trailing semicolon
 * @param readsColumns the table columns its query reads, as {@code table.column} (from {@code pg_depend})
 * @param readsViews   the views its query reads
 */
public record View(String name, String definition, Set<String> readsColumns, Set<String> readsViews) {

    public View {
        readsColumns = Set.copyOf(readsColumns);
        readsViews = Set.copyOf(readsViews);
    }

    String dropSql() {
        return "DROP VIEW " + Sql.qualified(name);
    }
}
