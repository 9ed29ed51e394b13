package dev.finote.db.backup;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.cli.DbCli;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.finote.db.backup.BackupRestoreTest.V1;
import static dev.finote.db.backup.BackupRestoreTest.V2;
import static dev.finote.db.backup.BackupRestoreTest.migrations;
import static dev.finote.db.backup.Cli.db;
import static dev.finote.db.backup.Cli.rows;
import static dev.finote.db.backup.Cli.sql;
import static dev.finote.db.backup.Cli.value;
import static org.assertj.core.api.Assertions.assertThat;

/** `finote db reset`, and the backup `finote db migrate` takes before a migration that can lose data. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResetAndBackupBeforeLossTest {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    private DatabaseUrl migrated(Path migrations) {
        DatabaseUrl url = postgres.createUniqueDatabase("r");
        DbCli.Run migrate = db(url, migrations, "migrate", "--migrations", migrations.toString());
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        sql(url, "INSERT INTO users (username) VALUES ('fi'), ('budi')",
                "INSERT INTO notes (user_id, title) VALUES (1, 'a'), (1, 'b'), (2, 'c')");
        return url;
    }

    @Test
    void resetWithoutConfirmationOrWithAnotherNameListsWhatItWouldDestroyAndChangesNothing(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl url = migrated(migrations);

        DbCli.Run bare = db(url, dir, "reset", "--migrations", migrations.toString());
        DbCli.Run wrong = db(url, dir, "reset", "--confirm", "finote", "--migrations", migrations.toString());

        for (DbCli.Run run : List.of(bare, wrong)) {
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("Resetting database " + url.describe() + " destroys:")
                    .containsPattern("table +notes +3 rows")
                    .containsPattern("table +users +2 rows")
                    .containsPattern("table +flyway_schema_history +2 rows +\\(the migration history\\)");
            assertThat(run.err()).contains("nothing was changed", "next:", "finote db reset --confirm " + url.database());
        }
        assertThat(bare.err()).contains("refusing to reset without confirmation");
        assertThat(wrong.err()).contains("--confirm names 'finote' but the database is '" + url.database() + "'");
        assertThat(value(url, "SELECT count(*) FROM notes")).isEqualTo("3");
        assertThat(value(url, "SELECT count(*) FROM flyway_schema_history")).isEqualTo("2");
    }

    @Test
    void resetDropsEverythingFinoteManagesAndMigratesFromZero(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl url = migrated(migrations);
        // What an adopted Node-era database and hand-made objects add.
        sql(url, "CREATE TABLE session (sid varchar PRIMARY KEY, sess json NOT NULL, expire timestamp NOT NULL)",
                "CREATE SCHEMA drizzle", "CREATE TABLE drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text)",
                "CREATE VIEW pinned AS SELECT * FROM notes WHERE is_pinned",
                "CREATE TYPE mood AS ENUM ('calm', 'busy')",
                "CREATE SEQUENCE tickets",
                "CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM notes'");

        DbCli.Run reset = db(url, dir, "reset", "--confirm", url.database(), "--migrations", migrations.toString());

        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("table  session", "view pinned", "type mood", "sequence tickets", "function note_count()",
                "schema drizzle", "Dropped everything above (6 rows).", "Migrated from zero: applied V1, V2",
                "is empty at schema version 2");
        assertThat(value(url, "SELECT count(*) FROM notes")).isEqualTo("0");
        assertThat(value(url, "SELECT count(*) FROM users")).isEqualTo("0");
        assertThat(rows(url, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1", "2");
        assertThat(rows(url, "SELECT relname FROM pg_class WHERE relname IN ('session', 'pinned', 'tickets')")).isEmpty();
        assertThat(value(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'drizzle'")).isEqualTo("0");
        assertThat(value(url, "SELECT count(*) FROM pg_proc WHERE proname = 'note_count'")).isEqualTo("0");
        // ids start again from 1
        sql(url, "INSERT INTO users (username) VALUES ('new')");
        assertThat(value(url, "SELECT id FROM users")).isEqualTo("1");
    }

    @Test
    void migrateBacksUpBeforeAMigrationThatDropsAColumnAndThePrintedCommandRestoresIt(@TempDir Path dir) throws IOException {
        Path before = migrations(dir.resolve("before"), V1, V2);
        DatabaseUrl url = migrated(before);
        sql(url, "UPDATE notes SET tags = ARRAY['keep-me'] WHERE id = 2");
        Path after = migrations(dir.resolve("after"), V1, V2, "ALTER TABLE notes DROP COLUMN tags;");
        Path backups = dir.resolve("backups");

        DbCli.Run migrate = db(url, dir, "migrate", "--backup-dir", backups.toString(), "--migrations", after.toString());

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("V3 (V3__step_3.sql) can lose data:", "line 1: drops a column: ALTER TABLE notes DROP COLUMN tags",
                "Backing up " + url.describe() + " first, to " + backups, "Backup taken: 6 rows in 5 tables",
                "Applied 1 migration(s)");
        assertThat(value(url, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'tags'"))
                .isEqualTo("0");
        Matcher command = Pattern.compile("finote db restore (.*)").matcher(migrate.out());
        assertThat(command.find()).isTrue();
        String[] args = command.group(0).substring("finote db ".length()).split(" ");

        // The printed command, as printed, with this build's migrations: the column and its values come back.
        String[] withMigrations = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--migrations", after.toString())).toArray(String[]::new);
        DbCli.Run restore = db(url, dir, withMigrations);

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(value(url, "SELECT tags FROM notes WHERE id = 2")).isEqualTo("{keep-me}");
        assertThat(rows(url, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1", "2");
    }

    @Test
    void aHazardLineFromGenerateAlsoTriggersTheBackupAndNoBackupTurnsItOff(@TempDir Path dir) throws IOException {
        Path before = migrations(dir.resolve("before"), V1, V2);
        String v3 = "-- hazard: deletes-data: the counters are recomputed\nSELECT 1;";
        Path after = migrations(dir.resolve("after"), V1, V2, v3);
        DatabaseUrl first = migrated(before);
        DatabaseUrl second = migrated(before);

        DbCli.Run withBackup = db(first, dir, "migrate", "--backup-dir", dir.resolve("b1").toString(), "--migrations", after.toString());
        DbCli.Run without = db(second, dir, "migrate", "--no-backup", "--backup-dir", dir.resolve("b2").toString(), "--migrations", after.toString());

        assertThat(withBackup.exitCode()).isZero();
        assertThat(withBackup.out()).contains("the counters are recomputed", "Backup taken");
        try (var files = Files.list(dir.resolve("b1"))) {
            assertThat(files.toList()).hasSize(1);
        }
        assertThat(without.exitCode()).isZero();
        assertThat(without.out()).doesNotContain("Backup");
        assertThat(dir.resolve("b2")).doesNotExist();
    }

    @Test
    void droppingATableWithoutRowsOrAColumnOfOneTakesNoBackup(@TempDir Path dir) throws IOException {
        DatabaseUrl url = migrated(migrations(dir.resolve("v2"), V1, V2)); // users and notes have rows, attachments has none
        Path after = migrations(dir.resolve("after"), V1, V2, "ALTER TABLE attachments DROP COLUMN meta;", "DROP TABLE attachments;");

        DbCli.Run migrate = db(url, dir, "migrate", "--backup-dir", dir.resolve("b").toString(), "--migrations", after.toString());

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).doesNotContain("can lose data", "Backup");
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(value(url, "SELECT count(*) FROM pg_class WHERE relname = 'attachments'")).isEqualTo("0");
    }

    @Test
    void safeMigrationsAndFirstMigrationsTakeNoBackup(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2, "ALTER TABLE notes ADD COLUMN color text;", "DROP TABLE counters;");
        DatabaseUrl fresh = postgres.createUniqueDatabase("r");

        DbCli.Run migrate = db(fresh, dir, "migrate", "--backup-dir", dir.resolve("b").toString(), "--migrations", migrations.toString());

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).as("a first deploy has no data to lose").doesNotContain("can lose data", "Backup");
        assertThat(dir.resolve("b")).doesNotExist();

        DatabaseUrl unmanaged = postgres.createUniqueDatabase("r");
        sql(unmanaged, "CREATE TABLE legacy (id int)");
        // tables but no history: adoption compares it with the migrations before anything runs, and these
        // migrations hold a composite type, which the schema engine does not compare: refused, nothing backed up
        Path unmanageable = migrations(dir.resolve("u"), V1, V2, "CREATE TYPE pair AS (a integer, b integer);", "DROP TABLE counters;");
        DbCli.Run refused = db(unmanaged, dir, "migrate", "--backup-dir", dir.resolve("b").toString(), "--migrations", unmanageable.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("composite type public.pair", "next:  drop them if the application does not need them");
        assertThat(dir.resolve("b")).doesNotExist();

        Path safe = migrations(dir.resolve("safe"), V1, V2, "ALTER TABLE notes ADD COLUMN color text;");
        DatabaseUrl url = migrated(migrations(dir.resolve("v2"), V1, V2));
        DbCli.Run safeMigrate = db(url, dir, "migrate", "--backup-dir", dir.resolve("b").toString(), "--migrations", safe.toString());
        assertThat(safeMigrate.exitCode()).isZero();
        assertThat(safeMigrate.out()).doesNotContain("can lose data", "Backup");
        assertThat(dir.resolve("b")).doesNotExist();
    }
}
