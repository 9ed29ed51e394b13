package dev.finote.db.backup;

import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** The schema version a database is at: the newest successful version in {@code flyway_schema_history}. */
final class SchemaVersion {

    private SchemaVersion() {
    }

    static Optional<String> of(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) return Optional.empty();
        }
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
