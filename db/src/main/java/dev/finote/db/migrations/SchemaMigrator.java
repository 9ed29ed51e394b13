package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.CatalogReader;
import dev.finote.db.schema.ShadowDatabase;
import dev.finote.db.schema.SqlLexer;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code finote db migrate}: applies pending migrations, adopting a database whose schema is
 * already right instead of failing with "relation already exists".
 *
 * <ul>
 * <li>No migration history but tables (made by {@code push}, or by the old Node backend): the
 * schema is compared with every migration version, replayed in a shadow database; on an exact
 * match the database is baselined at the earliest such version (Flyway's own baseline row),
 * then migrated forward. No match: refused, with the differences from the closest version.</li>
 * <li>A history, but a pending migration fails because what it creates already exists, or what
 * it drops or renames is already gone (the database was {@code push}ed ahead of its history):
 * when the schema equals a pending version exactly, and the migrations up to it only change the
 * schema (no data, no grants: nothing the comparison cannot see), they are recorded as applied
 * without running, then the rest run. Outside development this needs {@code adoptExisting}.</li>
 * </ul>
 * All of it runs under the {@link MigrationLock}, so racing deploys adopt and migrate once.
 */
public final class SchemaMigrator {

    /** SQLSTATEs of a migration meeting a schema that is already past it: duplicate_* and undefined_*. */
    private static final Set<String> SCHEMA_ALREADY_CHANGED = Set.of(
            "42P07", "42701", "42710", "42P06", "42723",   // duplicate table, column, object, schema, function
            "42P01", "42703", "42704");                     // undefined table, column, object
    /** Statements whose whole effect the catalog comparison sees. */
    private static final Pattern SCHEMA_ONLY = Pattern.compile(
            "(?is)^(CREATE|ALTER|DROP)\\s+(UNIQUE\\s+INDEX|INDEX|TABLE|TYPE|SEQUENCE|EXTENSION)\\b.*|^COMMENT\\s+ON\\b.*|^(SET|RESET)\\s+(LOCAL\\s+)?lock_timeout\\b.*");

    private final DatabaseUrl url;
    private final String location;
    private final Map<String, String> environment;
    private final boolean adoptExisting;
    private final LockWait lockWait;
    private final boolean preDeployOnly;

    /** Who this run is, how long it waits for another run's {@link MigrationLock}, and where it says that it waits. */
    public record LockWait(String who, Duration timeout, Consumer<String> notice) {
    }

    /**
     * @param environment   where {@code SHADOW_DATABASE_URL} and {@code NODE_ENV} come from
     * @param adoptExisting record pushed versions without running them even when NODE_ENV=production
     */
    public SchemaMigrator(DatabaseUrl url, String location, Map<String, String> environment, boolean adoptExisting) {
        this(url, location, environment, adoptExisting,
                new LockWait("finote", MigrationLock.waitFrom(null, environment), notice -> { }), false);
    }

    private SchemaMigrator(DatabaseUrl url, String location, Map<String, String> environment, boolean adoptExisting,
                           LockWait lockWait, boolean preDeployOnly) {
        this.url = url;
        this.location = location;
        this.environment = environment;
        this.adoptExisting = adoptExisting;
        this.lockWait = lockWait;
        this.preDeployOnly = preDeployOnly;
    }

    /** This migrator, waiting for the lock as {@code lockWait} says. */
    public SchemaMigrator waiting(LockWait lockWait) {
        return new SchemaMigrator(url, location, environment, adoptExisting, lockWait, preDeployOnly);
    }

    /** This migrator, applying only the pending migrations before the first post-deploy one ({@link PreDeploy}). */
    public SchemaMigrator preDeployOnly(boolean only) {
        return new SchemaMigrator(url, location, environment, adoptExisting, lockWait, only);
    }

    public SchemaMigrator(DatabaseUrl url, String location, Map<String, String> environment) {
        this(url, location, environment, false);
    }

    public MigrationOutcome migrate() {
        return migrate(migrator -> { });
    }

    /**
     * As {@link #migrate()}, calling {@code beforeApplying} with the migrator just before pending
     * migrations run (after any adoption), under the lock: where {@code migrate} takes its
     * backup before a migration that can lose data.
     */
    public MigrationOutcome migrate(Consumer<Migrator> beforeApplying) {
        try (MigrationLock lock = MigrationLock.acquire(url, lockWait.who(), lockWait.timeout(), lockWait.notice());
             Connection connection = connect()) {
            return migrateLocked(connection, beforeApplying);
        } catch (SQLException e) {
            throw new DatabaseException("could not inspect " + url.describe() + " before migrating: " + e.getMessage(), e);
        }
    }

    private Connection connect() {
        try {
            return Jdbc.connect(url);
        } catch (SQLException e) {
            throw new DatabaseException("could not connect to " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    private MigrationOutcome migrateLocked(Connection connection, Consumer<Migrator> beforeApplying) throws SQLException {
        List<String> adopted = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!SchemaVersion.hasHistory(connection)) {
            baselineIfAdoptable(connection, adopted, notes);
        }
        try {
            return new MigrationOutcome(apply(beforeApplying), adopted, notes);
        } catch (DatabaseException failure) {
            if (!schemaAlreadyChanged(failure) || !catchUpPushedSchema(connection, failure, adopted, notes)) throw failure;
            return new MigrationOutcome(apply(beforeApplying), adopted, notes);
        }
    }

    private MigrationReport apply(Consumer<Migrator> beforeApplying) {
        Migrator migrator = new Migrator(url, location);
        beforeApplying.accept(migrator);
        return preDeployOnly ? PreDeploy.apply(migrator) : migrator.migrate();
    }

    private Catalog live(Connection connection, NodeBackendTraces traces) {
        return CatalogReader.read(connection, traces.ignoredTables());
    }

    private List<VersionedCatalog> replay() {
        try (ShadowDatabase shadow = ShadowDatabase.open(environment)) {
            return MigrationReplay.replay(shadow, location);
        }
    }

    private void baselineIfAdoptable(Connection connection, List<String> adopted, List<String> notes) throws SQLException {
        NodeBackendTraces traces = NodeBackendTraces.inspect(connection);
        Catalog live = live(connection, traces);
        if (live.isEmpty()) return; // a new database: migrate from zero
        List<VersionedCatalog> versions = replay();
        String origin = traces.any() ? " (" + traces.describe() + ")" : "";
        VersionedCatalog version = SchemaMatch.earliest(versions, live).orElseThrow(() -> refusal(live, versions, origin));
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
                    + " and there are no migrations to compare it with", Catalog.EMPTY.differencesFrom(live));
        }
        VersionedCatalog closest = versions.stream()
                .min(Comparator.comparingInt((VersionedCatalog v) -> SchemaMatch.differences(v.catalog(), live).size())
                        .thenComparing(v -> -versions.indexOf(v)))
                .orElseThrow();
        List<String> differences = SchemaMatch.differences(closest.catalog(), live);
        return new AdoptionRefusedException("the database " + url.describe() + origin + " has tables but no migration history,"
                + " and its schema matches no migration version; closest is " + closest.label() + ", with "
                + differences.size() + " difference(s) (\"missing\" = in V" + closest.version() + " but not in the database)", differences);
    }

    /**
     * After a failure on objects that already exist (or are already gone): if the live schema is
     * exactly a pending version's, record the versions up to it as applied (they were pushed).
     */
    private boolean catchUpPushedSchema(Connection connection, DatabaseException failure, List<String> adopted, List<String> notes)
            throws SQLException {
        Catalog live = live(connection, NodeBackendTraces.inspect(connection));
        List<MigrationInfo> pending;
        try {
            pending = Arrays.stream(Migrator.configure(url, location).load().info().pending())
                    .filter(info -> info.getVersion() != null).toList();
        } catch (FlywayException e) {
            throw new DatabaseException("could not read the pending migrations: " + Migrator.rootCause(e), e);
        }
        List<String> pendingVersions = pending.stream().map(info -> info.getVersion().getVersion()).toList();
        Optional<VersionedCatalog> match = replay().stream()
                .filter(v -> pendingVersions.contains(v.version()) && SchemaMatch.matches(v.catalog(), live)).findFirst();
        if (match.isEmpty()) return false;
        List<MigrationInfo> toRecord = pending.subList(0, pendingVersions.indexOf(match.get().version()) + 1);
        List<String> versions = toRecord.stream().map(info -> "V" + info.getVersion().getVersion()).toList();
        if (production() && !adoptExisting) {
            throw new DatabaseException(failure.getMessage() + "; the database's schema is already exactly " + match.get().label()
                    + " (changed outside the migrations?)", "check it with `finote db status`; to record " + versions
                    + " as applied without running them, run `finote db migrate --adopt-existing`", failure);
        }
        Function<String, String> scripts = MigrationScripts.reader(location);
        for (MigrationInfo info : toRecord) {
            Optional<String> other = SqlLexer.split(scripts.apply(info.getScript())).stream()
                    .filter(statement -> !SCHEMA_ONLY.matcher(statement).matches()).findFirst();
            if (other.isPresent()) {
                throw new DatabaseException(failure.getMessage() + "; the schema already is " + match.get().label()
                        + ", but V" + info.getVersion().getVersion() + " also does what a schema comparison cannot see: "
                        + abbreviate(other.get()), "bring the database back to what its history says (`finote db status` shows the"
                        + " differences), or run that statement by hand and record the migration with Flyway", failure);
            }
        }
        recordAsApplied(connection, toRecord);
        adopted.addAll(toRecord.stream().map(info -> info.getVersion().getVersion()).toList());
        notes.add("The schema of " + url.describe() + " was already " + match.get().label() + " (made by `finote db push`),"
                + " so " + versions + " were recorded as applied without running them.");
        return true;
    }

    private boolean production() {
        return "production".equalsIgnoreCase(environment.getOrDefault("NODE_ENV", "").strip());
    }

    private static String abbreviate(String statement) {
        String line = statement.replaceAll("\\s+", " ").strip();
        return line.length() > 100 ? line.substring(0, 97) + "…" : line;
    }

    /** Rows in Flyway's history for migrations whose schema is already there, with Flyway's own checksums. */
    private static void recordAsApplied(Connection connection, List<MigrationInfo> migrations) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO public.flyway_schema_history
                       (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                SELECT coalesce(max(installed_rank), 0) + 1, ?, ?, ?, ?, ?, current_user, 0, true FROM public.flyway_schema_history""")) {
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

    private static boolean schemaAlreadyChanged(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SCHEMA_ALREADY_CHANGED.contains(sql.getSQLState())) return true;
        }
        return false;
    }
}
