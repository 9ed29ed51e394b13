package dev.finote.server.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.db.cli.DbCommand;
import dev.finote.db.cli.DbContext;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code finote dev}'s migration path racing {@code finote db migrate} on one database, over
 * migrations that build an index CONCURRENTLY: all complete, each version is applied once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevMigrationRaceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    @Test
    void devAndMigrateRacingBothComplete(@TempDir Path checkout) throws Exception {
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Path migrations = Files.createDirectories(checkout.resolve("server/src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__notes.sql"), """
                CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL);
                INSERT INTO notes (title) SELECT 'note ' || i FROM generate_series(1, 2000) i;
                """);
        Files.writeString(migrations.resolve("V2__notes_title.sql"), "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_title_idx ON notes (title);\n");
        Files.writeString(migrations.resolve("V3__tags.sql"), "CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);\n");
        ProjectLayout layout = new ProjectLayout(Optional.of(checkout), checkout, Optional.empty());
        DatabaseUrl db = postgres.createUniqueDatabase("dev");
        Map<String, String> environment = Map.of("DATABASE_URL", db.toUrlWithPassword());

        List<Callable<String>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(() -> {
                StringWriter err = new StringWriter();
                new DevCommand(environment, layout, new PrintWriter(err, true)).migrate(db);
                return "dev: " + err;
            });
        }
        for (int i = 0; i < 3; i++) {
            runs.add(() -> {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exit = DbCommand.commandLine(new DbContext(environment, layout, new PrintWriter(out, true), new PrintWriter(err, true)))
                        .execute("migrate");
                assertThat(exit).as(out + "" + err).isZero();
                return "migrate: " + out + err;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(runs.size(), task -> {
            Thread thread = new Thread(task, "racing-run");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<String>> futures = runs.stream().map(pool::submit).toList();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            for (Future<String> future : futures) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException hung) {
                    query(db.withDatabase("postgres"), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                            + db.database() + "' AND pid <> pg_backend_pid()");
                    fail("dev and migrate racing did not complete within " + DEADLINE);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(query(db, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")).containsExactly("1", "2", "3");
        assertThat(query(db, "SELECT count(*) FROM notes")).containsExactly("2000");
    }

    @Test
    void devWaitsForAnotherRunSayingWhichThenGivesUpAfterFinoteLockWait(@TempDir Path checkout) throws Exception {
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Path migrations = Files.createDirectories(checkout.resolve("server/src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__notes.sql"), "CREATE TABLE notes (id serial PRIMARY KEY);\n");
        ProjectLayout layout = new ProjectLayout(Optional.of(checkout), checkout, Optional.empty());
        DatabaseUrl db = postgres.createUniqueDatabase("devwait");
        try (Connection holder = Jdbc.connect(db); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + dev.finote.db.migrations.MigrationLock.KEY + ")");
            int pid = Integer.parseInt(query(db, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted").getFirst());
            StringWriter err = new StringWriter();
            DevCommand dev = new DevCommand(Map.of("DATABASE_URL", db.toUrlWithPassword(), "FINOTE_LOCK_WAIT", "1s"), layout, new PrintWriter(err, true));

            assertThatThrownBy(() -> dev.migrate(db)).isInstanceOf(dev.finote.db.DatabaseException.class)
                    .hasMessageContaining("gave up after waiting 1s").hasMessageContaining("pid " + pid);
            assertThat(err.toString()).contains("Waiting for another run that is changing", "held by PostgreSQL session pid " + pid);
            assertThat(query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).containsExactly("0");
        }
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
