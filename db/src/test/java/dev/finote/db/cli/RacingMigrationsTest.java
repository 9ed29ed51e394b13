package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Racing deploys: several {@code migrate}, {@code reset} and {@code restore} runs at once, over
 * migrations that build indexes {@code CONCURRENTLY}. A hang fails the test after a deadline
 * (the stuck sessions are then terminated, so the build never stalls).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RacingMigrationsTest {

    /** Long enough for five runs one after the other on a loaded machine; a deadlock never ends. */
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DbCli cli = new DbCli(postgres);
    private Path migrations;

    @BeforeEach
    void folder(@TempDir Path dir) throws Exception {
        migrations = Files.createDirectories(dir.resolve("migration"));
        write("V1__notes.sql", """
                CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
                INSERT INTO notes (title) SELECT 'note ' || i FROM generate_series(1, 2000) i;
                """);
        write("V2__notes_title.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_title_idx ON notes (title);\n");
        write("V3__tags.sql", "CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);\n");
    }

    private void write(String name, String sql) throws Exception {
        Files.writeString(migrations.resolve(name), sql);
    }

    @Test
    void fiveMigrateRunsOnAnEmptyDatabaseAllCompleteAndApplyEachVersionOnce() throws Exception {
        DatabaseUrl db = cli.newDatabase();

        List<DbCli.Run> runs = race(db, 5, i -> new String[]{"migrate"});

        runs.forEach(run -> assertThat(run.exitCode()).as(run.toString()).isZero());
        assertThat(history(db)).containsExactly("1", "2", "3");
        assertThat(runs.stream().filter(run -> run.out().contains("Applied ")).count()).as(runs.toString()).isEqualTo(1);
    }

    @Test
    void fiveMigrateRunsOnADatabaseWithDataAllComplete() throws Exception {
        DatabaseUrl db = cli.newDatabase();
        assertThat(run(db, "migrate").exitCode()).isZero();
        write("V4__notes_created.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_created_idx ON notes (created_at);\n");
        write("V5__more.sql", "ALTER TABLE tags ADD COLUMN color text;\nINSERT INTO tags (name) VALUES ('once');\n");

        List<DbCli.Run> runs = race(db, 5, i -> new String[]{"migrate"});

        runs.forEach(run -> assertThat(run.exitCode()).as(run.toString()).isZero());
        assertThat(history(db)).containsExactly("1", "2", "3", "4", "5");
        assertThat(query(db, "SELECT count(*) FROM tags")).containsExactly("1");
        assertThat(query(db, "SELECT count(*) FROM notes")).containsExactly("2000");
    }

    @Test
    void migrateResetAndRestoreRacingAllComplete() throws Exception {
        DatabaseUrl db = cli.newDatabase();
        assertThat(run(db, "migrate").exitCode()).isZero();
        Path backup = cli.workingDirectory().resolve("race.finote-backup");
        assertThat(run(db, "backup", backup.toString()).exitCode()).isZero();
        DatabaseUrl empty = cli.newDatabase();

        // On one database: migrate, reset and restore --overwrite, each twice, all at once.
        List<DbCli.Run> runs = race(db, 6, i -> switch (i % 3) {
            case 0 -> new String[]{"migrate"};
            case 1 -> new String[]{"reset", "--confirm", db.database()};
            default -> new String[]{"restore", "--overwrite", db.database(), backup.toString()};
        });

        runs.forEach(run -> assertThat(run.exitCode()).as(run.toString()).isZero());
        assertThat(history(db)).containsExactly("1", "2", "3");
        assertThat(query(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid"))
                .containsExactly("0");

        // Into an empty database: three restores race; one restores, the others find it taken and say so.
        List<DbCli.Run> restores = race(empty, 3, i -> new String[]{"restore", backup.toString()});
        assertThat(restores.stream().filter(run -> run.exitCode() == 0).count()).as(restores.toString()).isEqualTo(1);
        restores.stream().filter(run -> run.exitCode() != 0).forEach(run -> assertThat(run.err()).contains("is not empty"));
        assertThat(history(empty)).containsExactly("1", "2", "3");
        assertThat(query(empty, "SELECT count(*) FROM notes")).containsExactly("2000");
    }

    @Test
    void aWaitingRunNamesTheHolderHoldsNoSnapshotAndGoesOnOnceItIsReleased() throws Exception {
        DatabaseUrl db = cli.newDatabase();
        try (Connection holder = connect(db, "deploy-42")) {
            int holderPid = lock(holder);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<DbCli.Run> waiting = pool.submit(() -> run(db, "migrate", "--lock-wait", "2m"));
                awaitSession(db, "finote db migrate (pid ");
                // While it waits, no session of the database but the holder's keeps a transaction open for long.
                for (int sample = 0; sample < 10; sample++) {
                    assertThat(query(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                            + " AND pid <> " + holderPid + " AND xact_start < now() - interval '500 milliseconds'")).containsExactly("0");
                    Thread.sleep(100);
                }
                assertThat(query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing applied while it waits").containsExactly("0");
                unlock(holder);
                DbCli.Run run = waiting.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(run.err()).contains("Waiting for another run that is changing").contains("held by PostgreSQL session pid " + holderPid)
                        .contains("application 'deploy-42'").containsPattern("from (127\\.0\\.0\\.1|::1)").contains("since ");
                assertThat(history(db)).containsExactly("1", "2", "3");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRunGivesUpAfterTheConfiguredWaitNamingTheHolderAndChangingNothing() throws Exception {
        DatabaseUrl db = cli.newDatabase();
        try (Connection holder = connect(db, "deploy-42")) {
            int holderPid = lock(holder);

            DbCli.Run byOption = run(db, "migrate", "--lock-wait", "1s");
            DbCli.Run byVariable = cli.run(Map.of("DATABASE_URL", db.toUrlWithPassword(), "FINOTE_LOCK_WAIT", "500ms"),
                    withMigrations("reset", "--confirm", db.database()));

            for (DbCli.Run run : List.of(byOption, byVariable)) {
                assertThat(run.exitCode()).as(run.toString()).isNotZero();
                assertThat(run.err()).contains("error: gave up after waiting").contains("pid " + holderPid).contains("application 'deploy-42'")
                        .contains("nothing was changed").contains("next:").contains("pg_terminate_backend(" + holderPid + ")")
                        .contains("--lock-wait or FINOTE_LOCK_WAIT").doesNotContain("Exception");
            }
            assertThat(byOption.err()).contains("waiting 1s");
            assertThat(byVariable.err()).contains("waiting 500ms");
            assertThat(query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).containsExactly("0");
        }
        DbCli.Run bad = run(db, "migrate", "--lock-wait", "soon");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("error: --lock-wait='soon' is not a duration").contains("next:  give a number of seconds");
    }

    private static Connection connect(DatabaseUrl db, String applicationName) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", db.user());
        if (db.password() != null) properties.setProperty("password", db.password());
        properties.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(db.jdbcUrl(), properties);
    }

    /** Takes Finote's migration lock as another deploy would; returns the session's pid. */
    private static int lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + dev.finote.db.migrations.MigrationLock.KEY + ")");
            try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                pid.next();
                return pid.getInt(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + dev.finote.db.migrations.MigrationLock.KEY + ")");
        }
    }

    /** Polls until a session whose application name starts with {@code prefix} is connected. */
    private static void awaitSession(DatabaseUrl db, String prefix) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (query(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '" + prefix.replace("'", "''") + "%'").equals(List.of("0"))) {
            if (System.nanoTime() > deadline) fail("no session named " + prefix + " connected within " + DEADLINE);
            Thread.sleep(50);
        }
    }

    private DbCli.Run run(DatabaseUrl db, String... args) {
        return cli.run(Map.of("DATABASE_URL", db.toUrlWithPassword()), withMigrations(args));
    }

    private String[] withMigrations(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!List.of("backup").contains(args[0])) all.addAll(List.of("--migrations", migrations.toString()));
        return all.toArray(String[]::new);
    }

    interface Arguments {
        String[] of(int run);
    }

    /**
     * Starts {@code count} commands at once and waits for all of them up to the deadline. On a
     * hang the database's other sessions are terminated (unblocking the stuck threads) and the
     * test fails.
     */
    private List<DbCli.Run> race(DatabaseUrl db, int count, Arguments arguments) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count, task -> {
            Thread thread = new Thread(task, "racing-run");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<DbCli.Run>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String[] args = arguments.of(i);
                futures.add(pool.submit((Callable<DbCli.Run>) () -> run(db, args)));
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            List<DbCli.Run> runs = new ArrayList<>();
            for (Future<DbCli.Run> future : futures) {
                try {
                    runs.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException hung) {
                    String sessions = terminateSessions(db);
                    fail("racing runs did not complete within " + DEADLINE + "; sessions were:\n" + sessions);
                }
            }
            return runs;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What every other session on the database was doing, then ends them. */
    private static String terminateSessions(DatabaseUrl db) throws SQLException {
        StringBuilder said = new StringBuilder();
        try (Connection connection = Jdbc.connect(db.withDatabase("postgres"));
             PreparedStatement list = connection.prepareStatement(
                     "SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()");
             PreparedStatement kill = connection.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            list.setString(1, db.database());
            try (ResultSet rows = list.executeQuery()) {
                while (rows.next()) {
                    said.append("  pid ").append(rows.getInt(1)).append(' ').append(rows.getString(2)).append(' ')
                            .append(rows.getString(3)).append('/').append(rows.getString(4)).append(": ").append(rows.getString(5)).append('\n');
                }
            }
            kill.setString(1, db.database());
            kill.execute();
        }
        return said.toString();
    }

    private static List<String> history(DatabaseUrl db) throws SQLException {
        return query(db, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank");
    }

    private static List<String> query(DatabaseUrl url, String sql) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) values.add(rows.getString(1));
            return values;
        }
    }
}
