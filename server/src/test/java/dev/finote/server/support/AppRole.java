package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database role the server runs as in these tests, set up the way README tells
 * operators to: it may read and write rows and use sequences, and nothing else — no
 * CREATE, no ALTER, no DROP. Running the whole API under it proves the server runs no DDL.
 */
public final class AppRole {

    public static final String NAME = "finote_app";
    public static final String PASSWORD = "app-password-for-tests";

    private AppRole() {
    }

    /** Creates the role (if needed) and grants it row access to what exists now; returns its URL. */
    public static DatabaseUrl grant(DatabaseUrl superuser) {
        String database = Jdbc.quoteIdentifier(superuser.database());
        try (Connection connection = Jdbc.connect(superuser); Statement sql = connection.createStatement()) {
            sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + NAME + "') THEN "
                    + "CREATE ROLE " + NAME + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
            sql.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            sql.execute("REVOKE CREATE, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
            sql.execute("GRANT CONNECT ON DATABASE " + database + " TO " + NAME);
            sql.execute("GRANT USAGE ON SCHEMA public TO " + NAME);
            sql.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + NAME);
            sql.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the application role: " + e.getMessage(), e);
        }
        return superuser.withCredentials(NAME, PASSWORD);
    }
}
