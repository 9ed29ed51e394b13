package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;
import dev.finote.db.DatabaseUrl;
import dev.finote.db.Jdbc;
import dev.finote.db.MigrationReport;
import dev.finote.db.Migrator;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.CatalogReader;
import dev.finote.db.schema.ShadowDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code finote db migrate}: applies pending migrations, adopting a database whose schema is
 * already right instead of failing with "relation already exists".
 *
 * <ul>
 * <li>No migration history but tables (made by {@code push}, or by the old Node backend): the
 * schema is compared with every migration version, replayed in a shadow database; on an exact
 * match the database is baselined at that version (Flyway's own baseline row), then migrated
 * forward. No match: refused, with the differences from the closest version.</li>
 * <li>A history, but a pending migration fails because what it creates is already there (the
 * database was {@code push}ed ahead of its history): when the schema equals a later version
 * exactly, the versions up to it are recorded as applied without running, then the rest run.</li>
 * </ul>
 * All of it runs under one advisory lock, so racing deploys adopt and migrate once.
 */
public final class SchemaMigrator {

    /** Key of the session-level advisory lock that serialises Finote's migrate runs (an arbitrary constant). */
    static final long LOCK_KEY = 0x66696e6f7465L; // "finote"
    private static final Set<String> ALREADY_EXISTS = Set.of("42P07", "42701", "42710", "42P06", "42723", "42P16");

    private final DatabaseUrl url;
    private final String location;
    private final Map<String, String> environment;

    /**
     * @param environment where {@code SHADOW_DATABASE_URL} comes from, when adoption needs a shadow database
     */
    public SchemaMigrator(DatabaseUrl url, String location, Map<String, String> environment) {
        this.url = url;
        this.location = location;
        this.environment = environment;
    }

    public MigrationOutcome migrate() {
        return migrate(migrator -> { });
    }

    /**
     * As {@link #migrate()}, calling {@code beforeApplying} with the migrator just before pending
     * migrations run (after any adoption), under the lock: where {@code migrate} takes its
     * backup before a migration that can lose data.
     */
    public MigrationOutcome migrate(java.util.function.Consumer<Migrator> beforeApplying) {
        try (Connection connection = Jdbc.connect(url)) {
            lock(connection, true);
            try {
                return migrateLocked(connection, beforeApplying);
            } finally {
                lock(connection, false);
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not connect to " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    private MigrationOutcome migrateLocked(Connection connection, java.util.function.Consumer<Migrator> beforeApplying) throws SQLException {
        List<String> adopted = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!hasHistory(connection)) {
            baselineIfAdoptable(connection, adopted, notes);
        }
        try {
            return new MigrationOutcome(apply(beforeApplying), adopted, notes);
        } catch (DatabaseException failure) {
            if (!alreadyExists(failure) || !catchUpPushedSchema(connection, adopted, notes)) throw failure;
            return new MigrationOutcome(apply(beforeApplying), adopted, notes);
        }
    }

    private MigrationReport apply(java.util.function.Consumer<Migrator> beforeApplying) {
        Migrator migrator = new Migrator(url, location);
        beforeApplying.accept(migrator);
        return migrator.migrate();
    }

    private void baselineIfAdoptable(Connection connection, List<String> adopted, List<String> notes) throws SQLException {
        NodeBackendTraces traces = NodeBackendTraces.inspect(connection);
        Catalog live = CatalogReader.read(connection, traces.ignoredTables());
        if (live.isEmpty()) return; // a new database: migrate from zero
        List<VersionedCatalog> versions;
        try (ShadowDatabase shadow = ShadowDatabase.open(environment)) {
            versions = MigrationReplay.replay(shadow, location);
        }
        Optional<VersionedCatalog> match = versions.reversed().stream().filter(v -> v.catalog().equals(live)).findFirst();
        String origin = traces.any() ? " (" + traces.describe() + ")" : "";
        if (match.isEmpty()) {
            throw refusal(live, versions, origin);
        }
        VersionedCatalog version = match.get();
        try {
            Migrator.configure(url, location)
                    .baselineVersion(version.version())
                    .baselineDescription("adopted by finote: schema matched V" + version.version())
                    .load().baseline();
        } catch (FlywayException e) {
            throw new DatabaseException("could not record the baseline: " + Migrator.rootCause(e), e);
        }
        adopted.add(version.version());
        notes.add("Adopted " + url.describe() + origin + ": it had no migration history and its schema is exactly "
                + version.label() + ", so it was baselined at V" + version.version() + " without running anything.");
    }

    private AdoptionRefusedException refusal(Catalog live, List<VersionedCatalog> versions, String origin) {
        if (versions.isEmpty()) {
            return new AdoptionRefusedException("the database " + url.describe() + origin + " has tables but no migration history,"
                    + " and there are no migrations to compare it with", live.differencesFrom(Catalog.EMPTY));
        }
        VersionedCatalog closest = versions.stream()
                .min(Comparator.comparingInt((VersionedCatalog v) -> v.catalog().differencesFrom(live).size())
                        .thenComparing(v -> -versions.indexOf(v)))
                .orElseThrow();
        List<String> differences = closest.catalog().differencesFrom(live);
        return new AdoptionRefusedException("the database " + url.describe() + origin + " has tables but no migration history,"
                + " and its schema matches no migration version; closest is " + closest.label() + ", with "
                + differences.size() + " difference(s) (\"missing\" = in V" + closest.version() + " but not in the database)", differences);
    }

    /**
     * After a failure on objects that already exist: if the live schema is exactly some later
     * version's, record the versions up to it as applied (they were pushed, not migrated).
     */
    private boolean catchUpPushedSchema(Connection connection, List<String> adopted, List<String> notes) throws SQLException {
        NodeBackendTraces traces = NodeBackendTraces.inspect(connection);
        Catalog live = CatalogReader.read(connection, traces.ignoredTables());
        List<VersionedCatalog> versions;
        try (ShadowDatabase shadow = ShadowDatabase.open(environment)) {
            versions = MigrationReplay.replay(shadow, location);
        }
        Flyway flyway = Migrator.configure(url, location).load();
        MigrationInfo[] pending = flyway.info().pending();
        List<String> pendingVersions = java.util.Arrays.stream(pending).filter(p -> p.getVersion() != null)
                .map(p -> p.getVersion().getVersion()).toList();
        Optional<VersionedCatalog> match = versions.reversed().stream()
                .filter(v -> pendingVersions.contains(v.version()) && v.catalog().equals(live)).findFirst();
        if (match.isEmpty()) return false;
        String upTo = match.get().version();
        List<MigrationInfo> toRecord = new ArrayList<>();
        for (MigrationInfo info : pending) {
            if (info.getVersion() == null) continue;
            toRecord.add(info);
            if (info.getVersion().getVersion().equals(upTo)) break;
        }
        recordAsApplied(connection, toRecord);
        toRecord.forEach(info -> adopted.add(info.getVersion().getVersion()));
        notes.add("The schema of " + url.describe() + " was already " + match.get().label() + " (made by `finote db push`),"
                + " so " + adopted.stream().map(v -> "V" + v).toList() + " were recorded as applied without running them.");
        return true;
    }

    /** Rows in Flyway's history for migrations whose schema is already there, with Flyway's own checksums. */
    private static void recordAsApplied(Connection connection, List<MigrationInfo> migrations) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO flyway_schema_history
                       (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                SELECT coalesce(max(installed_rank), 0) + 1, ?, ?, ?, ?, ?, current_user, 0, true FROM flyway_schema_history""")) {
            for (MigrationInfo info : migrations) {
                insert.setString(1, info.getVersion().getVersion());
                insert.setString(2, info.getDescription());
                insert.setString(3, info.getType().name());
                insert.setString(4, info.getScript());
                if (info.getChecksum() == null) insert.setNull(5, java.sql.Types.INTEGER);
                else insert.setInt(5, info.getChecksum());
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean hasHistory(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass('flyway_schema_history') IS NOT NULL");
             ResultSet row = statement.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static boolean alreadyExists(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ALREADY_EXISTS.contains(sql.getSQLState())) return true;
        }
        return false;
    }

    private static void lock(Connection connection, boolean take) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(take ? "SELECT pg_advisory_lock(?)" : "SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }
}
