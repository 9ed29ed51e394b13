package dev.finote.db.backup;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.cli.DbCli;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.finote.db.backup.Cli.db;
import static dev.finote.db.backup.Cli.rows;
import static dev.finote.db.backup.Cli.sql;
import static dev.finote.db.backup.Cli.value;
import static org.assertj.core.api.Assertions.assertThat;

/** `finote db backup` and `finote db restore` through the command line, against real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreTest {

    static final String V1 = """
            CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL UNIQUE);
            CREATE TABLE notes (
                id serial PRIMARY KEY,
                user_id integer NOT NULL REFERENCES users (id),
                title text NOT NULL,
                tags text[],
                is_pinned boolean DEFAULT false,
                created_at timestamp DEFAULT now()
            );
            """;
    static final String V2 = """
            CREATE TABLE attachments (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                note_id integer NOT NULL REFERENCES notes (id),
                body bytea,
                meta jsonb,
                size_kb integer GENERATED ALWAYS AS (length(body) / 1024) STORED
            );
            CREATE TABLE events (at date NOT NULL, what text) PARTITION BY RANGE (at);
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
            INSERT INTO counters VALUES ('notes', 0);
            """;
    static final String V3 = "ALTER TABLE notes ADD COLUMN color text NOT NULL DEFAULT 'default';";

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    DatabaseUrl freshDatabase() {
        return postgres.createUniqueDatabase("b");
    }

    static Path migrations(Path dir, String... sqls) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < sqls.length; i++) Files.writeString(dir.resolve("V" + (i + 1) + "__step_" + (i + 1) + ".sql"), sqls[i]);
        return dir;
    }

    /** A database at V2 with awkward values in every column type. */
    DatabaseUrl populatedAtV2(Path migrations) {
        DatabaseUrl url = freshDatabase();
        DbCli.Run migrate = db(url, migrations, "migrate", "--migrations", migrations.toString());
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        sql(url,
                "INSERT INTO users (username) VALUES ('fi'), ('budi'), ('siti ünïcode \uD83D\uDE00')",
                "INSERT INTO notes (user_id, title, tags, is_pinned, created_at) VALUES "
                        + "(1, E'line one\\nline two\\ttab \\\\ backslash', ARRAY['a','b c','\"q\"'], true, '2026-01-02 03:04:05.678'),"
                        + "(1, 'nulls', NULL, NULL, NULL),"
                        + "(2, E'quotes '' \" and \\\\N', '{}', false, '2026-11-24 00:00:00')",
                "DELETE FROM notes WHERE id = 2", // a gap: ids need not be dense
                "INSERT INTO attachments (note_id, body, meta) VALUES (1, decode(repeat('00ff', 3000), 'hex'), '{\"k\": [1, \"x\"]}'), (3, NULL, NULL)",
                "INSERT INTO events VALUES ('2026-05-01', 'first'), ('2026-06-01', NULL)",
                "UPDATE counters SET value = 2");
        return url;
    }

    static final String[] CONTENT_QUERIES = {
            "SELECT id, username FROM users ORDER BY id",
            "SELECT id, user_id, title, tags, is_pinned, created_at FROM notes ORDER BY id",
            "SELECT id, note_id, md5(body), meta, size_kb FROM attachments ORDER BY id",
            "SELECT at, what FROM events ORDER BY at",
            "SELECT name, value FROM counters ORDER BY name"};

    static final String CATALOG = """
            SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) || ' validated=' || k.convalidated
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public'
            UNION ALL
            SELECT pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid || ' primary=' || i.indisprimary
              FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public'
            ORDER BY 1""";

    @Test
    void aRestoredDatabaseHasEveryRowAndNewIdsFollowTheRestoredOnes(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        DatabaseUrl target = freshDatabase();
        Path file = dir.resolve("laptop.finote-backup");

        DbCli.Run backup = db(source, dir, "backup", file.toString());
        DbCli.Run restore = db(target, dir, "restore", "--migrations", migrations.toString(), file.toString());

        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        assertThat(backup.out()).contains("(schema version 2)", "users", "3 rows", "SHA-256", "finote db restore " + file);
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("is intact: schema version 2", "Restored 10 rows", "Schema version is now 2");
        for (String query : CONTENT_QUERIES) assertThat(rows(target, query)).as(query).isEqualTo(rows(source, query));
        assertThat(rows(target, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1", "2");
        // Indexes and keys, dropped during the load and rebuilt after it, are exactly the migrations' ones.
        assertThat(rows(target, CATALOG)).isEqualTo(rows(source, CATALOG)).hasSizeGreaterThan(8);
        // serial and identity sequences continue after the restored ids
        sql(target, "INSERT INTO users (username) VALUES ('new')", "INSERT INTO notes (user_id, title) VALUES (4, 'new')",
                "INSERT INTO attachments (note_id) VALUES (4)");
        assertThat(value(target, "SELECT max(id) FROM users")).isEqualTo("4");
        assertThat(value(target, "SELECT max(id) FROM notes")).isEqualTo("4");
        assertThat(value(target, "SELECT max(id) FROM attachments")).isEqualTo("3");
        // the file is gzip: a folder of backups can be inspected with zcat
        byte[] head = Files.readAllBytes(file);
        assertThat(head[0] & 0xff).isEqualTo(0x1f);
        assertThat(head[1] & 0xff).isEqualTo(0x8b);
    }

    @Test
    void anOlderBackupIsRestoredAtItsVersionThenMigratedToThisBuild(@TempDir Path dir) throws IOException {
        Path old = migrations(dir.resolve("old"), V1, V2);
        Path current = migrations(dir.resolve("new"), V1, V2, V3);
        DatabaseUrl source = populatedAtV2(old);
        DatabaseUrl target = freshDatabase();
        Path file = dir.resolve("old.finote-backup");

        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();
        DbCli.Run restore = db(target, dir, "restore", "--migrations", current.toString(), file.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("Schema built up to version 2", "applied V3", "Schema version is now 3");
        assertThat(rows(target, "SELECT id, title, color FROM notes ORDER BY id"))
                .containsExactly("1 | line one\nline two\ttab \\ backslash | default", "3 | quotes ' \" and \\N | default");
    }

    @Test
    void keepVersionStaysAtTheBackupsVersion(@TempDir Path dir) throws IOException {
        Path old = migrations(dir.resolve("old"), V1, V2);
        Path current = migrations(dir.resolve("new"), V1, V2, V3);
        DatabaseUrl source = populatedAtV2(old);
        DatabaseUrl target = freshDatabase();
        Path file = dir.resolve("old.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();

        DbCli.Run restore = db(target, dir, "restore", "--keep-version", "--migrations", current.toString(), file.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(rows(target, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1", "2");
    }

    @Test
    void aDamagedOrTruncatedBackupIsRefusedBeforeTheTargetIsTouched(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        Path file = dir.resolve("good.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();
        byte[] good = Files.readAllBytes(file);

        for (int cut : new int[]{good.length - 1, good.length - 9, good.length / 2, 30, 5}) {
            Path truncated = dir.resolve("cut-" + cut);
            Files.write(truncated, java.util.Arrays.copyOf(good, cut));
            assertRefusedAndTargetEmpty(dir, migrations, truncated);
        }
        for (int at : new int[]{good.length / 3, good.length / 2, good.length - 12}) {
            byte[] flipped = good.clone();
            flipped[at] ^= 0x20;
            Path corrupt = dir.resolve("flip-" + at);
            Files.write(corrupt, flipped);
            assertRefusedAndTargetEmpty(dir, migrations, corrupt);
        }
        Path notABackup = dir.resolve("notes.txt");
        Files.writeString(notABackup, "hello");
        assertRefusedAndTargetEmpty(dir, migrations, notABackup);
    }

    private void assertRefusedAndTargetEmpty(Path dir, Path migrations, Path file) {
        DatabaseUrl target = freshDatabase();
        DbCli.Run restore = db(target, dir, "restore", "--migrations", migrations.toString(), file.toString());
        assertThat(restore.exitCode()).as(file + "\n" + restore).isEqualTo(1);
        assertThat(restore.err()).as(file.toString()).contains("error: the backup is damaged", "next:").doesNotContain("\tat ");
        assertThat(DatabaseInventory.of(target).isEmpty()).as(file.toString()).isTrue();
    }

    @Test
    void aDamagedBackupNeverTouchesANonEmptyTargetEvenWithOverwrite(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        Path file = dir.resolve("b.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();
        byte[] bytes = Files.readAllBytes(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes.length - 20);
        }

        DbCli.Run restore = db(source, dir, "restore", "--overwrite", source.database(), "--migrations", migrations.toString(), file.toString());

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("damaged");
        assertThat(value(source, "SELECT count(*) FROM notes")).isEqualTo("2");
    }

    @Test
    void aNonEmptyTargetIsRefusedUnlessOverwriteNamesIt(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        DatabaseUrl target = populatedAtV2(migrations);
        sql(target, "INSERT INTO users (username) VALUES ('only-in-target')");
        Path file = dir.resolve("b.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();

        DbCli.Run refused = db(target, dir, "restore", "--migrations", migrations.toString(), file.toString());
        DbCli.Run wrongName = db(target, dir, "restore", "--overwrite", "finote", "--migrations", migrations.toString(), file.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("is not empty; restoring into it would destroy:", "table  users", "4 rows",
                "flyway_schema_history", "(the migration history)");
        assertThat(refused.err()).contains("refusing to restore into database " + target.database(),
                "next:  restore into an empty database, or replace what it holds with: finote db restore --overwrite " + target.database());
        assertThat(wrongName.exitCode()).isEqualTo(1);
        assertThat(wrongName.err()).contains("--overwrite named 'finote'");
        assertThat(value(target, "SELECT count(*) FROM users WHERE username = 'only-in-target'")).isEqualTo("1");

        DbCli.Run overwrite = db(target, dir, "restore", "--overwrite", target.database(), "--migrations", migrations.toString(), file.toString());

        assertThat(overwrite.exitCode()).as(overwrite.toString()).isZero();
        assertThat(overwrite.out()).contains("Replacing what database");
        for (String query : CONTENT_QUERIES) assertThat(rows(target, query)).as(query).isEqualTo(rows(source, query));
    }

    /** A backup file of a database migrated to V2 and filled with rows. */
    private Path backupOfAPopulatedV2Database(Path dir) throws IOException {
        DatabaseUrl source = populatedAtV2(migrations(dir.resolve("m"), V1, V2));
        Path file = dir.resolve("b.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();
        return file;
    }

    @Test
    void aLoadThatFailsLeavesTheTargetEmpty(@TempDir Path dir) throws IOException {
        // The same version 2, but stricter: the backup's rows break its constraint half-way through the load.
        Path stricter = migrations(dir.resolve("strict"), V1, V2 + "ALTER TABLE events ADD CHECK (what IS NOT NULL);");
        DatabaseUrl target = freshDatabase();
        Path file = backupOfAPopulatedV2Database(dir);

        DbCli.Run restore = db(target, dir, "restore", "--migrations", stricter.toString(), file.toString());

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("target was left empty", "check constraint").doesNotContain("\tat ");
        assertThat(DatabaseInventory.of(target).isEmpty()).isTrue();
    }

    @Test
    void aMigrationThatFailsWhileRebuildingTheSchemaLeavesTheTargetEmpty(@TempDir Path dir) throws IOException {
        Path broken = migrations(dir.resolve("broken"), V1, V2.replace("CREATE TABLE counters", "CREATE TABLE users"));
        DatabaseUrl target = freshDatabase();
        Path file = backupOfAPopulatedV2Database(dir);

        DbCli.Run restore = db(target, dir, "restore", "--migrations", broken.toString(), file.toString());

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("the target was left empty", "already exists").doesNotContain("\tat ");
        assertThat(DatabaseInventory.of(target).isEmpty()).isTrue();
    }

    @Test
    void aFailingMigrationAfterTheLoadKeepsTheRestoredDataAndSaysWhatToRun(@TempDir Path dir) throws IOException {
        Path withBrokenV3 = migrations(dir.resolve("v3"), V1, V2, "ALTER TABLE notes ADD COLUMN title text;");
        DatabaseUrl target = freshDatabase();
        Path file = backupOfAPopulatedV2Database(dir);

        DbCli.Run restore = db(target, dir, "restore", "--migrations", withBrokenV3.toString(), file.toString());

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("the backup was restored at schema version 2, but migrating it to this build's schema failed",
                "next:  fix the failing migration, then run: finote db migrate");
        assertThat(value(target, "SELECT count(*) FROM notes")).isEqualTo("2");
    }

    @Test
    void aBackupFromANewerBuildIsRefused(@TempDir Path dir) throws IOException {
        Path newer = migrations(dir.resolve("new"), V1, V2, V3);
        Path older = migrations(dir.resolve("old"), V1);
        DatabaseUrl source = freshDatabase();
        assertThat(db(source, dir, "migrate", "--migrations", newer.toString()).exitCode()).isZero();
        Path file = dir.resolve("b.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();
        DatabaseUrl target = freshDatabase();

        DbCli.Run restore = db(target, dir, "restore", "--migrations", older.toString(), file.toString());

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("schema version 3, which this build's migrations do not have (they have 1)");
        assertThat(DatabaseInventory.of(target).isEmpty()).isTrue();
    }

    @Test
    void theBackupIsOneSnapshotWhileWritersKeepWriting(@TempDir Path dir) throws Exception {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        // Enough rows that the backup takes a while; every write below changes notes and counters together.
        sql(source, "INSERT INTO notes (user_id, title) SELECT 1, repeat('x', 200) || g FROM generate_series(1, 100000) g",
                "UPDATE counters SET value = (SELECT count(*) FROM notes)");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                sql(source, "BEGIN", "INSERT INTO notes (user_id, title) VALUES (2, 'during')",
                        "UPDATE counters SET value = value + 1", "COMMIT");
                writes.incrementAndGet();
            }
        });
        Path file = dir.resolve("live.finote-backup");
        DbCli.Run backup;
        try {
            while (writes.get() < 5) Thread.sleep(10);
            backup = db(source, dir, "backup", file.toString());
        } finally {
            stop.set(true);
            writer.join();
        }
        DatabaseUrl target = freshDatabase();
        DbCli.Run restore = db(target, dir, "restore", "--migrations", migrations.toString(), file.toString());

        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        long notes = Long.parseLong(value(target, "SELECT count(*) FROM notes"));
        assertThat(value(target, "SELECT value FROM counters WHERE name = 'notes'")).isEqualTo(Long.toString(notes));
        assertThat(notes).isGreaterThan(100_000);
        assertThat(Long.parseLong(value(source, "SELECT count(*) FROM notes"))).isGreaterThan(notes);
    }

    @Test
    void backupRefusesAnExistingFileAndADatabaseWithoutHistory(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        Path existing = Files.writeString(dir.resolve("existing"), "keep me");

        DbCli.Run overExisting = db(source, dir, "backup", existing.toString());
        DbCli.Run noHistory = db(freshDatabase(), dir, "backup", dir.resolve("x.finote-backup").toString());

        assertThat(overExisting.exitCode()).isEqualTo(1);
        assertThat(overExisting.err()).contains("already exists");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(noHistory.exitCode()).isEqualTo(1);
        assertThat(noHistory.err()).contains("has no migration history", "next:  apply the migrations first: finote db migrate");
        assertThat(dir.resolve("x.finote-backup")).doesNotExist();
        assertThat(dir.resolve("x.finote-backup.partial")).doesNotExist();
    }

    @Test
    void withoutAFileTheBackupGoesToTheDefaultFolder(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);

        DbCli.Run backup = db(source, dir, "backup");

        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        try (var files = Files.list(dir)) {
            List<Path> backups = files.filter(p -> p.getFileName().toString().endsWith(".finote-backup")).toList();
            assertThat(backups).hasSize(1);
            assertThat(backups.getFirst().getFileName().toString()).startsWith(source.database() + "-");
            assertThat(backup.out()).contains(backups.getFirst().toString());
        }
    }

    @Test
    void aNodeEraSessionTableIsBackedUpButSkippedOnRestoreByName(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), V1, V2);
        DatabaseUrl source = populatedAtV2(migrations);
        sql(source, "CREATE TABLE session (sid varchar PRIMARY KEY, sess json NOT NULL, expire timestamp(6) NOT NULL)",
                "INSERT INTO session VALUES ('abc', '{}', now())");
        Path file = dir.resolve("b.finote-backup");
        assertThat(db(source, dir, "backup", file.toString()).exitCode()).isZero();
        DatabaseUrl target = freshDatabase();

        DbCli.Run restore = db(target, dir, "restore", "--migrations", migrations.toString(), file.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("Skipped table session (1 rows): no migration of this build creates it.");
        assertThat(value(target, "SELECT to_regclass('public.session') IS NULL")).isEqualTo("t");
    }

    @Test
    void everyNewCommandHasHelp(@TempDir Path dir) {
        DatabaseUrl any = postgres.url();
        for (String command : new String[]{"backup", "restore", "reset"}) {
            DbCli.Run help = db(any, dir, command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: db " + command, "--url");
        }
        assertThat(db(any, dir, "migrate", "--help").out()).contains("--no-backup", "--backup-dir");
    }
}
