package dev.finote.db.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the old Node backend leaves in a database besides Finote's tables: Drizzle's history
 * ({@code drizzle.__drizzle_migrations}) and connect-pg-simple's session table
 * ({@code public.session (sid, sess, expire)}), which the Node server created at run time.
 *
 * <p>Neither is part of Finote's schema. The session table is left out when a database is
 * compared with a migration version (and kept, untouched: a Node server may still be running
 * against it during the switch); Drizzle's history lives outside {@code public} and is only
 * reported.
 */
public record NodeBackendTraces(Integer drizzleMigrations, boolean sessionTable) {

    /** Drizzle's history exists, but this role may not read it. */
    static final int UNKNOWN = -1;

    /** Tables the schema comparison leaves out. */
    public Set<String> ignoredTables() {
        return sessionTable ? Set.of("session") : Set.of();
    }

    public boolean any() {
        return drizzleMigrations != null || sessionTable;
    }

    /** One sentence for the operator, or an empty string when there are no traces. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (drizzleMigrations != null) {
            parts.add("Drizzle's migration history (" + (drizzleMigrations == UNKNOWN ? "not readable by this role" : drizzleMigrations + " migration(s)")
                    + ", in schema drizzle)");
        }
        if (sessionTable) parts.add("the Node session table public.session (left in place; this server keeps its sessions in finote_sessions)");
        return parts.isEmpty() ? "" : "made by the old Node backend: " + String.join("; ", parts);
    }

    public static NodeBackendTraces inspect(Connection connection) throws SQLException {
        Integer drizzle = null;
        if (exists(connection, "SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL")) {
            drizzle = UNKNOWN;
            if (exists(connection, "SELECT has_table_privilege('drizzle.__drizzle_migrations', 'SELECT')")) {
                try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM drizzle.__drizzle_migrations");
                     ResultSet row = count.executeQuery()) {
                    row.next();
                    drizzle = row.getInt(1);
                }
            }
        }
        // connect-pg-simple's table: exactly these three columns.
        boolean session = exists(connection, """
                SELECT array_agg(a.attname::text ORDER BY a.attname) = ARRAY['expire', 'sess', 'sid']
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relname = 'session' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped""");
        return new NodeBackendTraces(drizzle, session);
    }

    private static boolean exists(Connection connection, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query); ResultSet row = statement.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }
}
