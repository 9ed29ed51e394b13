package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Applies and reports migrations with Flyway, keeping Flyway's default history table
 * ({@code flyway_schema_history}) so any Flyway tool can read it.
 */
public final class Migrator {

    private final Flyway flyway;
    private final DatabaseUrl url;
    private final String migrationsLocation;

    public Migrator(DatabaseUrl url, String migrationsLocation) {
        this.url = url;
        this.migrationsLocation = migrationsLocation;
        this.flyway = configure(url, migrationsLocation).load();
    }

    /**
     * Finote's Flyway configuration, for every tool that runs migrations (migrate, restore, the
     * shadow replays of generate/check/status, adoption), so they all behave the same way.
     */
    public static FluentConfiguration configure(DatabaseUrl url, String migrationsLocation) {
        return Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations(migrationsLocation)
                // Finote's schema is public, whatever the role's search_path says (PostgreSQL 15
                // hardening often puts a schema named after the role first).
                .defaultSchema("public")
                .schemas("public")
                // Flyway's default PostgreSQL lock lives in an open transaction, which breaks
                // CREATE INDEX CONCURRENTLY; a session-level advisory lock does not.
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                // A generated migration may mix CONCURRENTLY index steps with ordinary DDL; Flyway
                // refuses such a file unless mixed is on, and then runs it statement by statement.
                .mixed(true)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .failOnMissingLocations(true);
    }

    /** Applies every pending migration under Flyway's lock; concurrent callers apply each version once. */
    public MigrationReport migrate() {
        return apply(flyway);
    }

    /** Applies the pending migrations up to and including {@code version} (restore rebuilds a backup's schema this way). */
    public MigrationReport migrateTo(String version) {
        return apply(configure(url, migrationsLocation).target(version).load());
    }

    /** The pending migrations with their SQL, oldest first (what {@code migrate} would apply now). */
    public List<PendingMigration> pending() {
        try {
            return Arrays.stream(flyway.info().pending())
                    .filter(info -> info.getVersion() != null)
                    .map(info -> new PendingMigration(info.getVersion().getVersion(), info.getScript(), readScript(migrationsLocation, info.getScript())))
                    .toList();
        } catch (FlywayException e) {
            throw new DatabaseException("could not read the migration state: " + rootCause(e), e);
        }
    }

    /** The versions of the migrations this build ships, oldest first. */
    public List<String> availableVersions() {
        try {
            return Arrays.stream(flyway.info().all())
                    .filter(info -> info.getVersion() != null && info.getState().isResolved())
                    .map(info -> info.getVersion().getVersion())
                    .toList();
        } catch (FlywayException e) {
            throw new DatabaseException("could not read the migrations: " + rootCause(e), e);
        }
    }

    /** The SQL of a migration, by its script name relative to a Flyway location ({@code filesystem:DIR} or {@code classpath:PATH}). */
    public static String readScript(String migrationsLocation, String relativePath) {
        try {
            if (migrationsLocation.startsWith("filesystem:")) {
                return Files.readString(Path.of(migrationsLocation.substring("filesystem:".length())).resolve(relativePath));
            }
            String folder = migrationsLocation.startsWith("classpath:") ? migrationsLocation.substring("classpath:".length()) : migrationsLocation;
            try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(folder + "/" + relativePath)) {
                if (in == null) throw new DatabaseException("migration " + relativePath + " is not in " + migrationsLocation);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read migration " + relativePath + ": " + e.getMessage(), e);
        }
    }

    /** Tries of a migration whose statement gave up on lock_timeout, and the pause before each retry. */
    private static final List<java.time.Duration> LOCK_RETRY_PAUSES = List.of(
            java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));

    /**
     * Runs Flyway's migrate. A statement that gives up on {@code lock_timeout} (a busy table:
     * another session holds a conflicting lock) is retried with a growing pause, since such locks
     * are usually short; its migration was rolled back (or, outside a transaction, cleaned up), so
     * the retry starts it afresh. After the last try the error names the session holding the lock.
     */
    private MigrationReport apply(Flyway flyway) {
        List<String> applied = new java.util.ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            try {
                MigrateResult result = flyway.migrate();
                result.migrations.forEach(m -> applied.add(m.version));
                String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
                return new MigrationReport(applied, version);
            } catch (FlywayException e) {
                String recovered = recoverFromFailedOutsideTransaction();
                boolean lockTimeout = LockHolders.isLockTimeout(e);
                if (lockTimeout && attempt < LOCK_RETRY_PAUSES.size()) {
                    if (e instanceof FlywayMigrateException failed && failed.getErrorResult() != null) {
                        failed.getErrorResult().migrations.forEach(m -> applied.add(m.version));
                    }
                    pause(LOCK_RETRY_PAUSES.get(attempt), e);
                    continue;
                }
                throw failure(e, recovered, lockTimeout ? attempt + 1 : 0);
            }
        }
    }

    private static void pause(java.time.Duration pause, FlywayException failure) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while waiting to retry a migration: " + rootCause(failure), failure);
        }
    }

    /** The operator's error for a failed migrate; {@code tries} > 0 when it gave up on lock_timeout that many times. */
    private DatabaseException failure(FlywayException e, String recovered, int tries) {
        String next = "fix the cause named above, then run `finote db migrate` again";
        String message = "migration failed: " + rootCause(e) + recovered;
        MigrationInfo migration = e instanceof FlywayMigrateException failed ? failed.getMigration() : null;
        if (tries > 0) {
            String sql = migration == null ? "" : readScript(migrationsLocation, migration.getScript());
            java.util.Optional<String> holder = LockHolders.describe(url, sql);
            message += "; tried " + tries + " times, each waiting up to the migration's lock_timeout for a table another session holds"
                    + holder.map(h -> ": " + h).orElse(" (that session has finished since)");
            next = holder.flatMap(LockHolders::pid)
                    .map(pid -> "let that session finish its transaction (or end it: SELECT pg_terminate_backend(" + pid + ")), then run `finote db migrate` again")
                    .orElse("run `finote db migrate` again");
        }
        if (migration == null || migration.getVersion() == null) return new DatabaseException(message, next, e);
        return new MigrationFailedException(message, next, e, migration.getVersion().getVersion(), migration.getScript());
    }

    private static final java.util.regex.Pattern CONCURRENT_INDEX = java.util.regex.Pattern.compile(
            "(?i)CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z0-9_]+)\"?");

    /**
     * A migration in a transaction that fails is rolled back and leaves no trace. One that runs
     * outside a transaction (CONCURRENTLY) keeps the statements before the failing one, leaves
     * the index it was building INVALID, and Flyway records it as failed, which blocks every
     * later migrate. Here the invalid index that file was building is dropped and the failed
     * record removed, so that fixing the cause and running migrate again completes it
     * (generated files create such indexes IF NOT EXISTS, so the statements that did run are
     * skipped). Returns what was done, for the error message.
     */
    private String recoverFromFailedOutsideTransaction() {
        try (java.sql.Connection connection = Jdbc.connect(url);
             java.sql.Statement statement = connection.createStatement()) {
            if (!SchemaVersion.hasHistory(connection)) return "";
            record Failed(int rank, String version, String script) {
            }
            List<Failed> undone = new java.util.ArrayList<>();
            try (java.sql.ResultSet failed = statement.executeQuery(
                    "SELECT installed_rank, version, script FROM public.flyway_schema_history WHERE NOT success ORDER BY installed_rank")) {
                while (failed.next()) undone.add(new Failed(failed.getInt(1), failed.getString(2), failed.getString(3)));
            }
            StringBuilder said = new StringBuilder();
            for (Failed row : undone) {
                java.util.regex.Matcher index = CONCURRENT_INDEX.matcher(readScript(migrationsLocation, row.script()));
                List<String> dropped = new java.util.ArrayList<>();
                while (index.find()) {
                    if (invalidIndex(connection, index.group(1))) {
                        statement.execute("DROP INDEX CONCURRENTLY IF EXISTS public." + Jdbc.quoteIdentifier(index.group(1)));
                        dropped.add(index.group(1));
                    }
                }
                try (java.sql.PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM public.flyway_schema_history WHERE installed_rank = ? AND NOT success")) {
                    delete.setInt(1, row.rank());
                    delete.executeUpdate();
                }
                said.append("; V").append(row.version()).append(" ran outside a transaction, so the statements before the failing one stay applied")
                        .append(dropped.isEmpty() ? "" : "; the index it left invalid (" + String.join(", ", dropped) + ") was dropped")
                        .append(" and its failed record removed, so running migrate again retries it");
            }
            return said.toString();
        } catch (java.sql.SQLException | RuntimeException e) {
            return ""; // the original failure is what the operator needs; status shows the rest
        }
    }

    private static boolean invalidIndex(java.sql.Connection connection, String name) throws java.sql.SQLException {
        try (java.sql.PreparedStatement query = connection.prepareStatement("""
                SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ?""")) {
            query.setString(1, name);
            try (java.sql.ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** Every migration this build knows or the database has recorded, oldest first. */
    public List<MigrationStatus> status() {
        try {
            return Arrays.stream(flyway.info().all()).map(Migrator::toStatus).toList();
        } catch (FlywayException e) {
            throw new DatabaseException("could not read the migration state: " + rootCause(e), e);
        }
    }

    private static MigrationStatus toStatus(MigrationInfo info) {
        return new MigrationStatus(
                info.getVersion() == null ? "" : info.getVersion().getVersion(),
                info.getDescription(),
                toState(info.getState()),
                info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant());
    }

    private static MigrationStatus.State toState(MigrationState state) {
        if (state == MigrationState.PENDING) return MigrationStatus.State.PENDING;
        if (state == MigrationState.BASELINE || state == MigrationState.BELOW_BASELINE) return MigrationStatus.State.BASELINE;
        if (state == MigrationState.IGNORED) return MigrationStatus.State.IGNORED;
        if (state.isFailed()) return MigrationStatus.State.FAILED;
        if (state == MigrationState.MISSING_SUCCESS || state == MigrationState.FUTURE_SUCCESS) return MigrationStatus.State.MISSING_FROM_BUILD;
        if (!state.isResolved()) return MigrationStatus.State.MISSING_FROM_BUILD;
        return MigrationStatus.State.APPLIED;
    }

    /**
     * Flyway's first line plus the real cause: Flyway wraps the SQL error or the refused
     * connection in generic text, and the operator needs the real one.
     */
    public static String rootCause(Throwable error) {
        String sqlMessage = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) sqlMessage = firstLine(sql.getMessage()) + detail(sql);
        }
        String head = error.getMessage() == null ? error.getClass().getSimpleName() : firstLine(error.getMessage());
        return sqlMessage == null || head.contains(sqlMessage) ? head : head + ": " + sqlMessage;
    }

    /** PostgreSQL's DETAIL, e.g. {@code Key (title)=(a) is duplicated.}: it names the rows at fault. */
    private static String detail(SQLException error) {
        if (error instanceof org.postgresql.util.PSQLException postgres && postgres.getServerErrorMessage() != null
                && postgres.getServerErrorMessage().getDetail() != null) {
            return " (" + postgres.getServerErrorMessage().getDetail().strip() + ")";
        }
        return "";
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
