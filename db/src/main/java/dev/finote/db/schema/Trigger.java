package dev.finote.db.schema;

/**
 * A trigger on a managed table.
 *
 * @param table      the table it fires on
 * @param name       its name (unique per table)
 * @param function   the signature of the function it runs (a {@link Routine#signature()})
 * @param definition the {@code CREATE [CONSTRAINT] TRIGGER …} statement ({@code pg_get_triggerdef})
 * @param enabled    {@code O} (fires normally), {@code D} (disabled), {@code R} (replica only) or
 *                   {@code A} (always), as {@code pg_trigger.tgenabled}
 */
public record Trigger(String table, String name, String function, String definition, String enabled) {

    /** The catalog's key: table and name. */
    String key() {
        return table + "." + name;
    }

    String dropSql() {
        return "DROP TRIGGER " + Sql.ident(name) + " ON " + Sql.qualified(table);
    }

    /** {@code ALTER TABLE … DISABLE/ENABLE … TRIGGER}, or null when it fires normally. */
    String enabledSql() {
        String state = switch (enabled) {
            case "D" -> "DISABLE";
            case "R" -> "ENABLE REPLICA";
            case "A" -> "ENABLE ALWAYS";
            default -> null;
        };
        return state == null ? null : "ALTER TABLE " + Sql.qualified(table) + " " + state + " TRIGGER " + Sql.ident(name);
    }

    /** A plain trigger can be changed in place ({@code CREATE OR REPLACE TRIGGER}, PostgreSQL 14+); a constraint trigger cannot. */
    String replaceSql() {
        return definition.startsWith("CREATE TRIGGER ") ? "CREATE OR REPLACE TRIGGER " + definition.substring("CREATE TRIGGER ".length()) : null;
    }
}
