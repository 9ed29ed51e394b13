package dev.finote.db.schema;

import java.util.Map;

/**
 * A domain in {@code public}: a base type with an optional default, NOT NULL and named checks.
 *
 * @param type   the base type as {@code format_type} prints it
 * @param checks check constraint name → {@code CHECK (…)} as {@code pg_get_constraintdef} prints it
 */
public record Domain(String name, String type, String defaultExpression, boolean notNull, Map<String, String> checks) {

    public Domain {
        checks = Table.sorted(checks);
    }

    String createSql() {
        StringBuilder sql = new StringBuilder("CREATE DOMAIN ").append(Sql.qualified(name)).append(" AS ").append(type);
        if (defaultExpression != null) sql.append(" DEFAULT ").append(defaultExpression);
        if (notNull) sql.append(" NOT NULL");
        checks.forEach((check, definition) -> sql.append(" CONSTRAINT ").append(Sql.ident(check)).append(' ').append(definition));
        return sql.toString();
    }

    String alterSql(String action) {
        return "ALTER DOMAIN " + Sql.qualified(name) + " " + action;
    }
}
