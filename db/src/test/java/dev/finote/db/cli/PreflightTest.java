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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, section 3: before changing anything, migrate checks the pending statements'
 * preconditions against the live rows, read-only; --dry-run shows it all. Real PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreflightTest {

    private static final String V1 = """
            CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL UNIQUE);
            CREATE TYPE mood AS ENUM ('calm', 'busy', 'gone');
            CREATE TABLE notes (id serial PRIMARY KEY, user_id integer NOT NULL, title text NOT NULL, body text,
                                size text, mood mood, owner_id integer);
            """;

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DbCli cli = new DbCli(postgres);
    private Path migrations;
    private DatabaseUrl url;

    @BeforeEach
    void database(@TempDir Path dir) throws Exception {
        migrations = Files.createDirectories(dir.resolve("migration"));
        Files.writeString(migrations.resolve("V1__init.sql"), V1);
        url = cli.newDatabase();
        assertThat(migrate().exitCode()).isZero();
        sql("INSERT INTO users (username) VALUES ('ana'), ('ben')",
                "INSERT INTO notes (id, user_id, title, body, size, mood, owner_id) VALUES"
                        + " (1, 1, 'groceries', 'milk', '1', 'calm', 1), (2, 1, 'groceries', NULL, '2', 'gone', 1),"
                        + " (3, 2, 'todo', NULL, 'big', 'busy', 7), (4, 2, 'todo', 'x', '4', 'calm', 2), (5, 2, 'ideas', 'y', '5', 'gone', 9)");
    }

    private DbCli.Run migrate(String... more) {
        List<String> args = new ArrayList<>(List.of("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString(), "--no-backup"));
        args.addAll(List.of(more));
        return cli.run(Map.of(), args.toArray(String[]::new));
    }

    private void sql(String... statements) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            for (String s : statements) statement.execute(s);
        }
    }

    private List<String> values(String query) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) values.add(rs.getString(1));
            return values;
        }
    }

    private void write(String file, String sql) throws Exception {
        Files.writeString(migrations.resolve(file), sql);
    }

    @Test
    void aUniqueIndexOverDuplicatesStopsMigrateBeforeTheColumnBeforeItIsAddedAndNamesTheRows() throws Exception {
        write("V2__add_column.sql", "ALTER TABLE notes ADD COLUMN archived boolean NOT NULL DEFAULT false;\n");
        write("V3__unique_titles.sql", "CREATE UNIQUE INDEX CONCURRENTLY notes_user_title_key ON notes (user_id, title);\n");

        DbCli.Run dry = migrate("--dry-run");
        assertThat(dry.exitCode()).isEqualTo(1);
        assertThat(dry.out()).contains("nothing is changed", "FAILS, no duplicated keys (user_id, title): 4 row(s)");

        DbCli.Run run = migrate();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: preflight: 1 check(s) fail on the live data, so nothing was applied",
                "V3 (V3__unique_titles.sql): CREATE UNIQUE INDEX CONCURRENTLY notes_user_title_key ON notes (user_id, title)",
                "4 row(s)", "(user_id, title)=(1, groceries) x2", "(user_id, title)=(2, todo) x2", "next:");
        assertThat(values("SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1");
        assertThat(values("SELECT column_name FROM information_schema.columns WHERE table_name = 'notes'")).doesNotContain("archived");
    }

    @Test
    void everyKindOfPreconditionIsCheckedAndReportedWithExampleKeys() throws Exception {
        write("V2__checks.sql", """
                ALTER TABLE notes ALTER COLUMN body SET NOT NULL;
                ALTER TABLE notes ADD COLUMN priority integer NOT NULL;
                ALTER TABLE notes ADD CONSTRAINT notes_owner_fkey FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID;
                ALTER TABLE notes VALIDATE CONSTRAINT notes_owner_fkey;
                ALTER TABLE notes ADD CONSTRAINT notes_title_check CHECK (length(title) > 4);
                ALTER TABLE notes ALTER COLUMN size TYPE integer USING size::integer;
                """);
        write("V3__remove_mood.sql", """
                ALTER TYPE mood RENAME TO mood_old;
                CREATE TYPE mood AS ENUM ('calm', 'busy');
                ALTER TABLE notes ALTER COLUMN mood TYPE mood USING mood::text::mood;
                DROP TYPE mood_old;
                """);

        DbCli.Run run = migrate();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(
                "SET NOT NULL: FAILS, no NULLs in body: 2 row(s), e.g. id=2; id=3",
                "ADD COLUMN priority integer NOT NULL: FAILS, an empty table (priority is NOT NULL without a default): 5 row(s)",
                "VALIDATE CONSTRAINT notes_owner_fkey: FAILS, every owner_id found in users: 2 row(s), e.g. id=3; id=5",
                "CHECK (length(title) > 4): FAILS, no rows violating CHECK (length(title) > 4): 2 row(s), e.g. id=3; id=4",
                "TYPE integer USING size::integer: FAILS, values of size that do not convert to integer",
                "invalid input syntax for type integer",
                "V3 (V3__remove_mood.sql): ALTER TABLE notes ALTER COLUMN mood TYPE mood USING mood::text::mood: FAILS,"
                        + " every mood a label of the new enum mood: 2 row(s), e.g. id=2; id=5");
        assertThat(run.err()).contains("error: preflight: 6 check(s) fail");
        assertThat(values("SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1");
    }

    @Test
    void passingChecksLetMigrateApplyAndADryRunShowsPhaseHazardsRowsAndChecksChangingNothing() throws Exception {
        write("V2__tidy.sql", """
                -- hazard: locks-table: small table
                ALTER TABLE notes ADD CONSTRAINT notes_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
                ALTER TABLE notes VALIDATE CONSTRAINT notes_user_fkey;
                ALTER TABLE notes ADD COLUMN slug text;
                CREATE UNIQUE INDEX notes_slug_key ON notes (slug);
                """);
        write("V3__drop_size.sql", "-- finote: phase=post-deploy\n-- hazard: deletes-data: unused\nALTER TABLE notes DROP COLUMN size;\n");

        DbCli.Run dry = migrate("--dry-run", "--pre-deploy");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("nothing is changed", "V2  V2__tidy.sql  pre-deploy", "hazards: locks-table",
                "rows 5 in notes: ALTER TABLE notes VALIDATE CONSTRAINT notes_user_fkey",
                "preflight: ALTER TABLE notes VALIDATE CONSTRAINT notes_user_fkey: ok, every user_id found in users",
                "preflight: CREATE UNIQUE INDEX notes_slug_key ON notes (slug): not checked (it refers to something a pending migration creates",
                "V3  V3__drop_size.sql  post-deploy  (held back", "can lose data: line 2",
                "would apply 1 migration(s)");
        assertThat(values("SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1");

        DbCli.Run run = migrate();
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("Preflight: 1 data check(s) passed on the live rows, 1 could not be checked yet", "V2, V3");
    }

    @Test
    void whenAMigrationFailsAnywayPostgresqlsKeyDetailIsKept() throws Exception {
        write("V2__unique_titles.sql", "CREATE UNIQUE INDEX notes_title_key ON notes (title);\n");

        DbCli.Run run = migrate("--no-preflight");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("could not create unique index", "Key (title)=(");
    }
}
