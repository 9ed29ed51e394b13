package dev.finote.db.schema;

import java.util.List;
import java.util.Set;

/**
 * A row level security policy on a table.
 *
 * @param table        the table it is on (its catalog key: {@code schema.table} outside public)
 * @param name         its name (unique per table)
 * @param permissive   false for {@code AS RESTRICTIVE}
 * @param command      {@code ALL}, {@code SELECT}, {@code INSERT}, {@code UPDATE} or {@code DELETE}
 * @param roles        the roles it applies to, sorted ({@code public} for everyone)
 * @param using        the {@code USING} expression as PostgreSQL prints it, or null
 * @param withCheck    the {@code WITH CHECK} expression, or null
 * @param readsColumns the columns its expressions read, as {@code table.column} (from {@code pg_depend})
 */
public record Policy(String table, String name, boolean permissive, String command, List<String> roles, String using,
                     String withCheck, Set<String> readsColumns) {

    public Policy {
        roles = List.copyOf(new java.util.TreeSet<>(roles));
        readsColumns = Set.copyOf(readsColumns);
    }

    /** {@code table.name}: the catalog key. */
    public String key() {
        return table + "." + name;
    }

    String createSql() {
        return "CREATE POLICY " + Sql.ident(name) + " ON " + Sql.qualified(table) + (permissive ? "" : " AS RESTRICTIVE")
                + ("ALL".equals(command) ? "" : " FOR " + command) + toRoles() + (using == null ? "" : " USING (" + using + ")")
                + (withCheck == null ? "" : " WITH CHECK (" + withCheck + ")");
    }

    String toRoles() {
        if (roles.equals(List.of("public"))) return "";
        return " TO " + String.join(", ", roles.stream().map(role -> "public".equals(role) ? "PUBLIC" : Sql.ident(role)).toList());
    }

    String dropSql() {
        return "DROP POLICY " + Sql.ident(name) + " ON " + Sql.qualified(table);
    }
}
