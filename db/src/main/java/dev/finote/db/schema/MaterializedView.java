package dev.finote.db.schema;

import java.util.Map;
import java.util.Set;

/**
 * A materialized view, with its indexes.
 *
 * @param name         its catalog key: {@code name} in public, {@code schema.name} elsewhere
 * @param definition   {@code CREATE MATERIALIZED VIEW name [WITH (options)] AS …} as PostgreSQL prints the
 *                     query ({@code pg_get_viewdef}), without a trailing semicolon (always created {@code WITH DATA})
 * @param readsColumns the table columns its query reads, as {@code table.column} (from {@code pg_depend})
 * @param readsViews   the views and materialized views its query reads
 * @param indexes      its indexes by name
 */
public record MaterializedView(String name, String definition, Set<String> readsColumns, Set<String> readsViews,
                               Map<String, Index> indexes) {

    public MaterializedView {
        readsColumns = Set.copyOf(readsColumns);
        readsViews = Set.copyOf(readsViews);
        indexes = Table.sorted(indexes);
    }

    String dropSql() {
        return "DROP MATERIALIZED VIEW " + Sql.qualified(name);
    }
}
