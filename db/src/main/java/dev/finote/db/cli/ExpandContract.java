package dev.finote.db.cli;

import java.util.Map;

/**
 * The expand/contract sequence that replaces a rename during a rolling deploy: the old and the
 * new name live side by side for one release, so every server, old or new, finds what it uses.
 */
final class ExpandContract {

    private ExpandContract() {
    }

    /** The steps for each declared rename, for a terminal. */
    static String forRenames(Map<String, String> tableRenames, Map<String, String> columnRenames) {
        StringBuilder out = new StringBuilder("A rename in one release breaks the servers still running the previous one. Instead, expand/contract:\n");
        columnRenames.forEach((from, to) -> {
            int dot = from.indexOf('.');
            String table = from.substring(0, dot);
            String old = from.substring(dot + 1);
            out.append("  column ").append(table).append('.').append(old).append(" -> ").append(to).append(":\n")
               .append("    1. schema.sql: add ").append(to).append(" beside ").append(old)
               .append(" (same type, nullable or with a default); finote db generate; deploy (pre-deploy).\n")
               .append("    2. this release's code writes both ").append(old).append(" and ").append(to).append(" and reads ").append(to)
               .append("; backfill: UPDATE ").append(table).append(" SET ").append(to).append(" = ").append(old)
               .append(" WHERE ").append(to).append(" IS NULL (in batches on a big table).\n")
               .append("    3. next release: code uses only ").append(to).append("; remove ").append(old)
               .append(" from schema.sql; finote db generate writes the DROP COLUMN as a post-deploy migration.\n");
        });
        tableRenames.forEach((from, to) -> out.append("  table ").append(from).append(" -> ").append(to).append(":\n")
               .append("    1. schema.sql: add table ").append(to).append(" beside ").append(from).append("; finote db generate; deploy.\n")
               .append("    2. this release's code writes both tables and reads ").append(to).append("; copy the rows: INSERT INTO ")
               .append(to).append(" SELECT … FROM ").append(from).append(" ON CONFLICT DO NOTHING.\n")
               .append("    3. next release: code uses only ").append(to).append("; remove ").append(from)
               .append(" from schema.sql; finote db generate writes the DROP TABLE as a post-deploy migration.\n"));
        return out.toString();
    }
}
