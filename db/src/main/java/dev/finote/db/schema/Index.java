package dev.finote.db.schema;

/**
 * An index that does not back a constraint.
 *
 * @param method  the access method ({@code btree}, {@code gin}, …)
 * @param body    what follows {@code USING method} in {@code pg_get_indexdef}: key columns or
 *                expressions with their order, DESC and NULLS options, INCLUDE, WITH and the
 *                partial-index WHERE clause, e.g. {@code (user_id, created_at DESC) WHERE (NOT archived)}
 * @param valid   false for an index left invalid by a failed {@code CREATE INDEX CONCURRENTLY}
 */
public record Index(String name, boolean unique, String method, String body, boolean valid) {

    /** The CREATE INDEX statement for {@code table}. */
    public String createSql(String table, boolean concurrently) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + (concurrently ? "CONCURRENTLY " : "")
                + Sql.ident(name) + " ON " + Sql.qualified(table)
                + ("btree".equals(method) ? " " : " USING " + method + " ") + body;
    }
}
