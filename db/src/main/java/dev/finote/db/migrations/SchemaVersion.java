package dev.finote.db.migrations;

import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** What Flyway's history in a database says: whether there is one, and the schema version it records. */
public final class SchemaVersion {

    private SchemaVersion() {
    }

    /** Whether the database has Flyway's history table ({@code public.flyway_schema_history}). */
    public static boolean hasHistory(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
            return exists.next() && exists.getBoolean(1);
        }
    }

    /** The newest successfully applied (or baselined) version; empty without a history. */
    public static Optional<String> of(Connection connection) throws SQLException {
        if (!hasHistory(connection)) return Optional.empty();
        MigrationVersion newest = null;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM public.flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (rows.next()) {
                MigrationVersion version = MigrationVersion.fromVersion(rows.getString(1));
                if (newest == null || version.isNewerThan(newest)) newest = version;
            }
        }
        return Optional.ofNullable(newest).map(MigrationVersion::getVersion);
    }
}
