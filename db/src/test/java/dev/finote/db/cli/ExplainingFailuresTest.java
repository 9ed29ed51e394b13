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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 10 §4: failures seen by someone following the README, each now saying what is really
 * going on and what to do. Real PostgreSQL throughout; commands run as an operator types them,
 * inside a project checkout (where the note of a failed migration lives).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainingFailuresTest {

    private static final String V1 = """
            CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL, body text);
            """;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DbCli cli = new DbCli(postgres);
    private Path checkout;
    private Path migrations;
    private Path schema;
    private DatabaseUrl db;

    @BeforeEach
    void project(@TempDir Path dir) throws Exception {
        checkout = dir;
        migrations = Files.createDirectories(dir.resolve("migration"));
        schema = dir.resolve("schema.sql");
        Files.writeString(migrations.resolve("V1__init.sql"), V1);
        Files.writeString(schema, V1);
        db = cli.newDatabase();
        assertThat(db("migrate").exitCode()).isZero();
        sql("INSERT INTO notes (title, body) VALUES ('first', 'kept')");
    }

    /** {@code finote db <command> --url … --migrations … [--schema …]} in the checkout. */
    private DbCli.Run db(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(more));
        if (!command.equals("generate")) args.addAll(List.of("--url", db.toUrlWithPassword()));
        if (!command.equals("push")) args.addAll(List.of("--migrations", migrations.toString()));
        if (List.of("generate", "status", "push").contains(command)) args.addAll(List.of("--schema", schema.toString()));
        Map<String, String> environment = new HashMap<>();
        environment.put("SHADOW_DATABASE_URL", postgres.url().withDatabase("postgres").toUrlWithPassword());
        return cli.runInCheckout(checkout, environment, args.toArray(String[]::new));
    }

    private void sql(String... statements) throws SQLException {
        try (Connection connection = Jdbc.connect(db); Statement statement = connection.createStatement()) {
            for (String sql : statements) statement.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = Jdbc.connect(db); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) values.add(rows.getString(1));
            return values;
        }
    }

    private List<String> files() throws Exception {
        try (Stream<Path> list = Files.list(migrations)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedNeverAppliedNewestMigrationIsNamedByStatusAndGenerateRefusesToStackOnIt() throws Exception {
        String broken = "-- hazard: fails-on-existing-rows: notes has rows\nALTER TABLE notes ADD COLUMN size integer NOT NULL;\n";
        Files.writeString(migrations.resolve("V2__size.sql"), broken);
        Files.writeString(schema, V1.replace("body text", "body text, size integer NOT NULL"));
        // The preflight sees the row first and applies nothing; that counts as a failure of V2 as well.
        DbCli.Run refused = db("migrate");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("preflight", "V2 (V2__size.sql)", "size is NOT NULL without a default");
        DbCli.Run statusAfterPreflight = db("status");
        assertThat(statusAfterPreflight.out()).contains("Failed: V2 (V2__size.sql) failed on " + db.describe(), "never applied")
                .contains("Next: fix V2__size.sql or delete it, then run finote db generate again");

        // Without the preflight, PostgreSQL itself refuses the statement.
        DbCli.Run migrate = db("migrate", "--no-preflight");
        assertThat(migrate.exitCode()).isNotZero();
        assertThat(migrate.err()).contains("contains null values");

        DbCli.Run status = db("status");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(StatusCommand.EXIT_PENDING);
        assertThat(status.out()).contains("Failed: V2 (V2__size.sql) failed on " + db.describe(), "never applied", "contains null values")
                .contains("Next: fix V2__size.sql or delete it, then run finote db generate again")
                .doesNotContain("Next: finote db migrate");

        Files.writeString(schema, V1.replace("body text", "body text, size integer NOT NULL") + "CREATE TABLE tags (id serial PRIMARY KEY);\n");
        DbCli.Run generate = db("generate", "--name", "tags");
        assertThat(generate.exitCode()).isNotZero();
        assertThat(generate.err()).contains("error: V2 (V2__size.sql) failed on", "a new migration would be stacked on it, so nothing was written")
                .contains("next:  fix V2__size.sql (or delete it), then run finote db generate again");
        assertThat(files()).containsExactly("V1__init.sql", "V2__size.sql");

        // Fixed: the note no longer applies, generate stacks on it, migrate applies both and forgets the failure.
        Files.writeString(migrations.resolve("V2__size.sql"), "ALTER TABLE notes ADD COLUMN size integer NOT NULL DEFAULT 0;\n");
        Files.writeString(schema, V1.replace("body text", "body text, size integer NOT NULL DEFAULT 0") + "CREATE TABLE tags (id serial PRIMARY KEY);\n");
        assertThat(db("generate", "--name", "tags").exitCode()).isZero();
        assertThat(db("migrate").exitCode()).isZero();
        DbCli.Run after = db("status");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).doesNotContain("Failed:");
        assertThat(checkout.resolve(".finote/failed-migration.properties")).doesNotExist();
    }

    @Test
    void aHandWrittenDropColumnMigrationIsNotAChangeToGenerate() throws Exception {
        Files.writeString(migrations.resolve("V2__drop_body.sql"), "-- hazard: deletes-data: drops notes.body\nALTER TABLE notes DROP COLUMN body;\n");
        assertThat(db("migrate", "--no-backup").exitCode()).isZero();

        DbCli.Run status = db("status");

        assertThat(status.exitCode()).isEqualTo(StatusCommand.EXIT_DRIFT);
        assertThat(status.out()).contains("is behind the migrations", "table notes: column body is missing (since V2)")
                .contains("`finote db generate` would write a migration that undoes them")
                .doesNotContain("Next: finote db generate");
    }

    @Test
    void aColumnDroppedByHandInTheDatabaseIsReportedAsDriftWithWhatToDoAndTheAdviceWorks() throws Exception {
        sql("ALTER TABLE notes DROP COLUMN body");

        DbCli.Run status = db("status");

        assertThat(status.exitCode()).isEqualTo(StatusCommand.EXIT_DRIFT);
        assertThat(status.out()).contains("Drift", "column body is missing", "Next: the database was changed outside the migrations")
                .doesNotContain("Next: finote db generate");

        // The advice, followed: schema.sql says the same, generate, migrate records it (and takes no backup: nothing is left to lose).
        Files.writeString(schema, V1.replace(", body text", ""));
        assertThat(db("generate", "--name", "drop body").exitCode()).isZero();
        DbCli.Run migrate = db("migrate");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("recorded as applied without running").doesNotContain("can lose data", "Backing up");
        assertThat(db("status").exitCode()).isZero();
    }

    @Test
    void migrateTakesNoBackupForAColumnAPushAlreadyDroppedButDoesForOneStillThere() throws Exception {
        Files.writeString(schema, V1.replace(", body text", ""));
        assertThat(db("push", "--accept-data-loss").exitCode()).isZero();
        assertThat(db("generate", "--name", "drop body").exitCode()).isZero();

        DbCli.Run migrate = db("migrate");

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).doesNotContain("can lose data", "Backing up");
        assertThat(backups()).isEmpty();

        // The same kind of migration on a column that holds data is still backed up first.
        sql("ALTER TABLE notes ADD COLUMN color text", "UPDATE notes SET color = 'red'");
        Files.writeString(migrations.resolve("V3__drop_color.sql"), "ALTER TABLE IF EXISTS notes DROP COLUMN IF EXISTS color;\n");
        DbCli.Run second = db("migrate");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("V3 (V3__drop_color.sql) can lose data", "Backup taken");
        assertThat(backups()).hasSize(1);
    }

    private List<Path> backups() throws Exception {
        Path directory = checkout.resolve(".finote/backups");
        if (!Files.isDirectory(directory)) return List.of();
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }

    @Test
    void pushCountsRealChangesAndGeneratePrintsWhatTheFileHolds() throws Exception {
        Files.writeString(schema, V1.replace("body text", "body text, color text"));

        DbCli.Run push = db("push");
        assertThat(push.exitCode()).isZero();
        assertThat(push.out()).contains("Pushed 1 change(s)");

        DbCli.Run generate = db("generate", "--name", "color");
        assertThat(generate.exitCode()).isZero();
        String file = Files.readString(migrations.resolve("V2__color.sql"));
        assertThat(file).contains("SET LOCAL lock_timeout = '5s'").doesNotContain("RESET lock_timeout");
        assertThat(generate.out()).contains("1. SET LOCAL lock_timeout = '5s'", "2. ALTER TABLE notes ADD COLUMN color text")
                .doesNotContain("SET lock_timeout", "RESET lock_timeout");
    }

    @Test
    void aStatementThatHitsLockTimeoutIsRetriedThenFailsNamingTheSessionHoldingTheLock() throws Exception {
        Files.writeString(migrations.resolve("V2__color.sql"), "SET LOCAL lock_timeout = '200ms';\nALTER TABLE notes ADD COLUMN color text;\n");
        try (Connection holder = holder("report-job")) {
            int pid = pid(holder);
            try (Statement statement = holder.createStatement()) {
                statement.execute("SELECT count(*) FROM notes");
            }

            DbCli.Run migrate = db("migrate");

            assertThat(migrate.exitCode()).isNotZero();
            assertThat(migrate.err()).contains("error: migration failed", "lock timeout", "tried 4 times")
                    .contains("PostgreSQL session pid " + pid, "application 'report-job'", "in a transaction since", "now idle in transaction", "query: SELECT count(*) FROM notes")
                    .contains("holds AccessShareLock on notes")
                    .contains("next:  let that session finish its transaction (or end it: SELECT pg_terminate_backend(" + pid + "))");
            assertThat(query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'color'")).containsExactly("0");
        }
    }

    @Test
    void aStatementThatHitsLockTimeoutSucceedsOnARetryOnceTheLockIsFree() throws Exception {
        Files.writeString(migrations.resolve("V2__color.sql"), "SET LOCAL lock_timeout = '300ms';\nALTER TABLE notes ADD COLUMN color text;\n");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection holder = holder("report-job")) {
            try (Statement statement = holder.createStatement()) {
                statement.execute("SELECT count(*) FROM notes");
            }
            Future<DbCli.Run> migrate = pool.submit(() -> db("migrate"));
            // The first try waits for the lock, then gives up; only then is the lock released.
            awaitLockWaiters(true);
            awaitLockWaiters(false);
            assertThat(migrate.isDone()).as("still retrying after the first lock timeout").isFalse();
            holder.commit();

            DbCli.Run run = migrate.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Applied 1 migration(s)", "V2");
            assertThat(query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'color'")).containsExactly("1");
        } finally {
            pool.shutdownNow();
        }
    }

    /** A session in an open transaction, as a long report or a forgotten psql would be. */
    private Connection holder(String application) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", db.user());
        if (db.password() != null) properties.setProperty("password", db.password());
        properties.setProperty("ApplicationName", application);
        Connection connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), properties);
        connection.setAutoCommit(false);
        return connection;
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private void awaitLockWaiters(boolean present) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (query("SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .equals(List.of(present ? "f" : "t"))) {
            if (System.nanoTime() > deadline) fail("no session " + (present ? "started" : "stopped") + " waiting for a lock within " + DEADLINE);
            Thread.sleep(10);
        }
    }
}
