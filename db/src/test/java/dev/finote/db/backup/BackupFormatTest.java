package dev.finote.db.backup;

import dev.finote.db.cli.DbCli;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static dev.finote.db.backup.BackupRestoreTest.migrations;
import static dev.finote.db.backup.Cli.db;
import static dev.finote.db.backup.Cli.rows;
import static org.assertj.core.api.Assertions.assertThat;

/** The backup format's versions: this build writes format 2 (schemas named) and still reads format 1 (public only). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupFormatTest {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    @Test
    void aFormatOneManifestNamesTablesOfPublic() {
        BackupManifest manifest = BackupManifest.parse("""
                format: 1
                schema-version: 2
                created-at: 2026-11-26T10:00:00Z
                source: localhost%3A5432%2Fb
                server-version: PostgreSQL+16.4
                table: users id,username
                table: notes id,user_id,title
                table: empty%20one\s
                """);

        assertThat(manifest.tables()).containsExactly(
                new BackupManifest.Table("public", "users", List.of("id", "username")),
                new BackupManifest.Table("public", "notes", List.of("id", "user_id", "title")),
                new BackupManifest.Table("public", "empty one", List.of()));
        assertThat(manifest.tables().get(1).key()).isEqualTo("notes");
    }

    @Test
    void aFormatTwoManifestKeepsEachTablesSchemaWhateverTheNames() {
        BackupManifest written = new BackupManifest(2, "7", Instant.parse("2026-11-26T10:00:00Z"), "db:5432/finote", "PostgreSQL 18.1",
                List.of(new BackupManifest.Table("public", "notes", List.of("id", "title")),
                        new BackupManifest.Table("app", "notes", List.of("id", "a, b", "c d")),
                        new BackupManifest.Table("my schema", "a.b", List.of())));

        BackupManifest read = BackupManifest.parse(written.toText());

        assertThat(read).isEqualTo(written);
        assertThat(read.tables().stream().map(BackupManifest.Table::key)).containsExactly("notes", "app.notes", "my schema.a.b");
    }

    @Test
    void aNewBackupIsFormatTwoAndNamesTheSchemaOfEachTable(@TempDir Path dir) throws IOException {
        Path migrations = migrations(dir.resolve("m"), "CREATE SCHEMA app; CREATE TABLE app.t (id int); CREATE TABLE t (id int);");
        DatabaseUrl url = postgres.createUniqueDatabase("f");
        assertThat(db(url, dir, "migrate", "--migrations", migrations.toString()).exitCode()).isZero();
        Path file = dir.resolve("b.finote-backup");

        assertThat(db(url, dir, "backup", file.toString()).exitCode()).isZero();

        String head;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            head = new String(in.readNBytes(400), StandardCharsets.ISO_8859_1);
        }
        assertThat(head).startsWith("FINOTE-BACKUP 2\n").contains("format: 2\n", "table: public t id\n", "table: app t id\n");
    }

    /**
     * {@code format-1.finote-backup} was taken by the build before backups covered other schemas, of a database at
     * {@link BackupRestoreTest#V1}, {@link BackupRestoreTest#V2} filled by {@code BackupRestoreTest.populatedAtV2}.
     */
    @Test
    void aBackupInFormatOneStillRestores(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("old.finote-backup");
        try (InputStream fixture = getClass().getResourceAsStream("format-1.finote-backup")) {
            Files.copy(fixture, file);
        }
        Path migrations = migrations(dir.resolve("m"), BackupRestoreTest.V1, BackupRestoreTest.V2);
        DatabaseUrl target = postgres.createUniqueDatabase("f");

        DbCli.Run restore = db(target, dir, "restore", "--migrations", migrations.toString(), file.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("is intact: schema version 2", "Restored 10 rows", "Schema version is now 2");
        assertThat(rows(target, "SELECT id, username FROM users ORDER BY id")).containsExactly("1 | fi", "2 | budi", "3 | siti ünïcode \uD83D\uDE00");
        assertThat(rows(target, "SELECT id, user_id, title, tags, is_pinned, created_at FROM notes ORDER BY id")).containsExactly(
                "1 | 1 | line one\nline two\ttab \\ backslash | {a,\"b c\",\"\\\"q\\\"\"} | t | 2026-01-02 03:04:05.678",
                "3 | 2 | quotes ' \" and \\N | {} | f | 2026-11-24 00:00:00");
        assertThat(rows(target, "SELECT id, note_id, md5(body), meta, size_kb FROM attachments ORDER BY id"))
                .containsExactly("1 | 1 | 4ea7a9c7fd813b2f10000285d19d970c | {\"k\": [1, \"x\"]} | 5", "2 | 3 | null | null | null");
        assertThat(rows(target, "SELECT at, what FROM events ORDER BY at")).containsExactly("2026-05-01 | first", "2026-06-01 | null");
        assertThat(rows(target, "SELECT name, value FROM counters")).containsExactly("notes | 2");
        assertThat(rows(target, "INSERT INTO users (username) VALUES ('new') RETURNING id")).containsExactly("4");
    }
}
