package dev.finote.db.schema;

/**
 * A function or procedure in {@code public}, as PostgreSQL prints it.
 *
 * @param signature  its name and argument types, which identify it among overloads, e.g.
 *                   {@code touch_updated_at()} or {@code add(integer, integer)}
 * @param procedure  true for a procedure ({@code CREATE PROCEDURE}), false for a function
 * @param arguments  the full argument list with names and defaults ({@code pg_get_function_arguments})
 * @param result     what it returns ({@code pg_get_function_result}), null for a procedure
 * @param language   e.g. {@code plpgsql} or {@code sql}
 * @param definition the whole {@code CREATE OR REPLACE …} statement ({@code pg_get_functiondef}),
 *                   without a trailing semicolon: body, volatility, strictness, security and
 *                   settings included, so two routines are equal exactly when it is
 */
public record Routine(String signature, boolean procedure, String arguments, String result, String language, String definition) {

    /** {@code DROP FUNCTION touch_updated_at()} (or {@code PROCEDURE}). */
    String dropSql() {
        return "DROP " + (procedure ? "PROCEDURE " : "FUNCTION ") + signature;
    }

    /**
     * Whether {@code CREATE OR REPLACE} can turn this routine into {@code other}: PostgreSQL
     * refuses to change the kind, the result type, or the names and defaults of arguments.
     */
    boolean replaceableBy(Routine other) {
        return procedure == other.procedure && java.util.Objects.equals(result, other.result) && arguments.equals(other.arguments);
    }

    /** True for a SQL-language body, which PostgreSQL checks against the tables when it is created. */
    boolean readsTablesWhenCreated() {
        return language.equals("sql");
    }
}
