package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.CatalogReader;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * generate, check, push, pull, status and migrate's adoption, run as an operator runs them,
 * on real PostgreSQL databases (the shadow database is an embedded PostgreSQL too).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaCommandsTest {

    private static final String V1 = """
            CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL UNIQUE);
            CREATE TABLE notes (id serial PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), title text NOT NULL, body text);
            """;

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DbCli cli = new DbCli(postgres);
    private Path migrations;
    private Path schema;

    @BeforeEach
    void project(@TempDir Path dir) throws Exception {
        migrations = Files.createDirectories(dir.resolve("migration"));
        schema = dir.resolve("schema.sql");
        Files.writeString(migrations.resolve("V1__init.sql"), V1);
        Files.writeString(schema, V1);
    }

    /**
     * Runs a command with the shared cluster as its shadow server (SHADOW_DATABASE_URL), so the
     * commands need not start an embedded PostgreSQL each; the default embedded shadow has its own test.
     */
    private DbCli.Run db(Map<String, String> environment, String... args) {
        Map<String, String> withShadow = new java.util.HashMap<>(environment);
        withShadow.putIfAbsent("SHADOW_DATABASE_URL", postgres.url().withDatabase("postgres").toUrlWithPassword());
        return cli.run(withShadow, args);
    }

    private DbCli.Run db(String... args) {
        return db(Map.of(), args);
    }

    private String[] sources(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--schema", schema.toString(), "--migrations", migrations.toString())).toArray(String[]::new);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> list = Files.list(migrations)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void sql(DatabaseUrl url, String... statements) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) statement.execute(sql);
        }
    }

    private static List<List<Object>> rows(DatabaseUrl url, String query) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.add(rs.getObject(i));
                rows.add(row);
            }
            return rows;
        }
    }

    private static Catalog catalog(DatabaseUrl url) throws SQLException {
        try (Connection connection = Jdbc.connect(url)) {
            return CatalogReader.read(connection, Set.of());
        }
    }

    private static boolean hasTable(DatabaseUrl url, String table) throws SQLException {
        return (Boolean) rows(url, "SELECT to_regclass('" + table + "') IS NOT NULL").getFirst().getFirst();
    }

    // ---- generate -----------------------------------------------------------------------------

    @Test
    void generateSaysNoChangesAndWritesNothingWhenTheMigrationsAlreadyBuildTheSchema() throws Exception {
        DbCli.Run run = cli.run(Map.of(), sources("generate")); // the default shadow: an embedded PostgreSQL of its own

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("No changes");
        assertThat(run.err()).contains("Starting a shadow PostgreSQL");
        assertThat(files()).containsExactly("V1__init.sql");
    }

    @Test
    void aMigrationThatDoesNotRunIsNeverWrittenIntoTheFolder() throws Exception {
        // The migrations insert a note without a body; schema.sql now requires one, so the
        // generated ALTER fails when it is tried: the real folder must stay as it was.
        Files.writeString(migrations.resolve("V1__init.sql"), V1 + "INSERT INTO users (username) VALUES ('seed');\n"
                + "INSERT INTO notes (user_id, title) VALUES (1, 'no body');\n");
        Files.writeString(schema, V1.replace("body text", "body text NOT NULL"));

        DbCli.Run run = db(sources("generate", "--name", "require body"));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("the generated migration does not run", "nothing was written").doesNotContain("\tat ");
        assertThat(files()).containsExactly("V1__init.sql");
    }

    @Test
    void insideACheckoutTheGeneratedHeaderNamesTheSchemaByItsPathInTheProject(@TempDir Path checkout) throws Exception {
        Path migrationFolder = Files.createDirectories(checkout.resolve("server/src/main/resources/db/migration"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Files.writeString(migrationFolder.resolve("V1__init.sql"), V1);
        Files.writeString(migrationFolder.resolveSibling("schema.sql"), V1.replace("body text", "body text, color text"));

        DbCli.Run run = cli.runInCheckout(checkout,
                Map.of("SHADOW_DATABASE_URL", postgres.url().withDatabase("postgres").toUrlWithPassword()), "generate", "--name", "color");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(Files.readString(migrationFolder.resolve("V2__color.sql")))
                .contains("from server/src/main/resources/db/schema.sql.")
                .doesNotContain(checkout.toString());
    }

    @Test
    void aShadowServerWhoseUserCannotCreateDatabasesIsRefusedClearly() throws Exception {
        sql(postgres.url(), "DO $$ BEGIN CREATE ROLE plain_user LOGIN PASSWORD 'pw'; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        String shadow = postgres.url().withDatabase("postgres").withCredentials("plain_user", "pw").toUrlWithPassword();
        DbCli.Run run = db(Map.of("SHADOW_DATABASE_URL", shadow), sources("check"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("CREATEDB").doesNotContain("pw@", "\tat ");
    }

    @Test
    void generateWritesTheNextMigrationWithItsHazardsAndMigrateAppliesIt() throws Exception {
        Files.writeString(schema, V1.replace("body text", "body text, color text NOT NULL DEFAULT 'default'")
                .replace("title text NOT NULL,", "title varchar(200) NOT NULL,"));
        DbCli.Run generated = db(sources("generate", "--name", "Add note color!"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        // the narrowing breaks old writers of long titles: a post-deploy file after the added column
        assertThat(files()).containsExactly("V1__init.sql", "V2__add_note_color_part1.sql", "V3__add_note_color_part2.sql");
        String sql = Files.readString(migrations.resolve("V2__add_note_color_part1.sql"));
        assertThat(sql).contains("-- Generated by `finote db generate`", "ADD COLUMN color text", "SET LOCAL lock_timeout")
                .doesNotContain("phase=post-deploy");
        assertThat(Files.readString(migrations.resolve("V3__add_note_color_part2.sql")))
                .contains("-- finote: phase=post-deploy", "-- hazard: deletes-data:", "TYPE character varying(200)");
        assertThat(db(sources("generate")).out()).contains("No changes");

        DatabaseUrl url = cli.newDatabase();
        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.out()).contains("V1, V2, V3");
        assertThat(rows(url, "SELECT data_type, character_maximum_length FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'title'"))
                .containsExactly(List.of("character varying", 200));
    }

    @Test
    void aChangeNeedingConcurrentlyIsSplitIntoATransactionalFileAndAConcurrentOne() throws Exception {
        Files.writeString(schema, V1 + "ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false;\n"
                + "CREATE INDEX notes_user_idx ON notes (user_id, pinned);\n");
        DbCli.Run generated = db(sources("generate", "--name", "pinned"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(files()).containsExactly("V1__init.sql", "V2__pinned_part1.sql", "V3__pinned_part2.sql");
        assertThat(Files.readString(migrations.resolve("V2__pinned_part1.sql"))).contains("ADD COLUMN pinned").doesNotContain("CONCURRENTLY");
        assertThat(Files.readString(migrations.resolve("V3__pinned_part2.sql")))
                .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_user_idx", "-- hazard: builds-index").doesNotContain("ADD COLUMN");

        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        assertThat(catalog(url).table("notes").indexes()).isNotEmpty();
        assertThat(db(sources("check")).exitCode()).isZero();
    }

    @Test
    void aDeclaredColumnRenameKeepsTheValues() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        sql(url, "INSERT INTO users (username) VALUES ('fi')", "INSERT INTO notes (user_id, title, body) VALUES (1, 't', 'kept')");
        Files.writeString(schema, V1.replace("body text", "content text"));

        DbCli.Run generated = db(sources("generate", "--name", "rename body", "--rename-column", "notes.body=content",
                "--allow-rename-in-one-release"));
        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(Files.readString(migrations.resolve("V2__rename_body.sql"))).contains("RENAME COLUMN body TO content")
                .doesNotContain("DROP COLUMN", "deletes-data");
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        assertThat(rows(url, "SELECT content FROM notes")).containsExactly(List.of("kept"));
        assertThat(db(sources("check")).exitCode()).isZero();
    }

    @Test
    void aRenameOfSomethingThatDoesNotExistIsRefused() throws Exception {
        Files.writeString(schema, V1.replace("body text", "content text"));
        DbCli.Run run = db(sources("generate", "--rename-column", "notes.bodyy=content2"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: --rename-column notes.bodyy=content2", "next:");
        assertThat(files()).containsExactly("V1__init.sql");
    }

    @Test
    void aSchemaFileWithAnSqlErrorNamesTheLine() throws Exception {
        Files.writeString(schema, V1 + "\nCREATE TABLE broken (id integer PRIMARY KEY,, x text);\n");
        DbCli.Run run = db(sources("generate"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error:", "line 4", "next:  fix that statement in the schema file").doesNotContain("\tat ");
        assertThat(files()).containsExactly("V1__init.sql");
    }

    // ---- check --------------------------------------------------------------------------------

    @Test
    void shadowDatabasesLeftByAKilledRunAnHourAgoAreDroppedByTheNextCommand() throws Exception {
        String stale = "finote_shadow_" + Instant.now().minus(Duration.ofHours(2)).getEpochSecond() + "_0badc0de";
        String recent = "finote_shadow_" + Instant.now().getEpochSecond() + "_0badc0de"; // perhaps another run's, in progress
        String unrelated = "finote_shadow_kept";
        DatabaseUrl admin = postgres.url().withDatabase("postgres");
        sql(admin, "CREATE DATABASE " + stale, "CREATE DATABASE " + recent, "CREATE DATABASE " + unrelated);
        try {
            DbCli.Run run = db(sources("check"));

            assertThat(run.exitCode()).as(run.all()).isZero();
            assertThat(run.err()).contains("Dropped 1 shadow database(s)", stale);
            List<Object> names = rows(admin, "SELECT datname FROM pg_database").stream().map(List::getFirst).toList();
            assertThat(names).doesNotContain(stale).contains(recent, unrelated);
        } finally {
            sql(admin, "DROP DATABASE IF EXISTS " + stale, "DROP DATABASE IF EXISTS " + recent, "DROP DATABASE IF EXISTS " + unrelated);
        }
    }

    @Test
    void checkFailsWhenSchemaSqlHasAChangeNoMigrationMakes() throws Exception {
        Files.writeString(schema, V1 + "CREATE TABLE tags (id serial PRIMARY KEY, name text);\n");
        DbCli.Run run = db(sources("check"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("disagree", "table tags");
        assertThat(run.err()).contains("error:", "next:  run `finote db generate`");
    }

    @Test
    void checkFailsOnAnUnacknowledgedDataLossAndPassesOnceTheMigrationAcknowledgesIt() throws Exception {
        Files.writeString(schema, V1.replace(", body text", ""));
        Files.writeString(migrations.resolve("V2__drop_body.sql"), "ALTER TABLE notes DROP COLUMN body;\n");
        DbCli.Run unacknowledged = db(sources("check"));

        assertThat(unacknowledged.exitCode()).isEqualTo(1);
        assertThat(unacknowledged.out()).contains("deletes-data (NOT ACKNOWLEDGED)");
        assertThat(unacknowledged.err()).contains("V2 has the hazard deletes-data");

        Files.writeString(migrations.resolve("V2__drop_body.sql"),
                "-- finote: phase=post-deploy\n-- hazard: deletes-data: body was never used\nALTER TABLE notes DROP COLUMN body;\n");
        DbCli.Run acknowledged = db(sources("check"));
        assertThat(acknowledged.exitCode()).as(acknowledged.all()).isZero();
        assertThat(acknowledged.out()).contains("deletes-data (acknowledged)", "OK.");
    }

    /** check asks what migrate's backup asks (DataLossScan): rows deleted by hand are data lost, though the schema stays. */
    @Test
    void checkWantsAHandWrittenDeleteAcknowledgedAsMigrateBacksUpForIt() throws Exception {
        Files.writeString(migrations.resolve("V2__purge.sql"), "DELETE FROM notes WHERE title = '';\n");
        DbCli.Run unacknowledged = db(sources("check"));

        assertThat(unacknowledged.exitCode()).isEqualTo(1);
        assertThat(unacknowledged.out()).contains("deletes-data (NOT ACKNOWLEDGED): deletes rows: DELETE FROM notes WHERE title = ''");
        assertThat(unacknowledged.err()).contains("V2 has the hazard deletes-data");

        Files.writeString(migrations.resolve("V2__purge.sql"), "-- hazard: deletes-data: empty notes were never shown\nDELETE FROM notes WHERE title = '';\n");
        DbCli.Run acknowledged = db(sources("check"));
        assertThat(acknowledged.exitCode()).as(acknowledged.all()).isZero();
        assertThat(acknowledged.out()).contains("deletes-data (acknowledged)", "OK.");
    }

    @Test
    void checkFlagsAnIndexBuiltWithoutConcurrentlyOnAnExistingTable() throws Exception {
        Files.writeString(schema, V1 + "CREATE INDEX notes_title_idx ON notes (title);\n");
        Files.writeString(migrations.resolve("V2__index.sql"), "CREATE INDEX notes_title_idx ON notes (title);\n");
        DbCli.Run run = db(sources("check"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("locks-table (NOT ACKNOWLEDGED): CREATE INDEX notes_title_idx ON notes (title)");
    }

    @Test
    void checkFailsOnRowLevelSecurityEnabledWithoutAcknowledgingIt() throws Exception {
        Files.writeString(schema, V1 + "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n");
        Files.writeString(migrations.resolve("V2__rls.sql"), "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n");
        DbCli.Run unacknowledged = db(sources("check"));

        assertThat(unacknowledged.exitCode()).isEqualTo(1);
        assertThat(unacknowledged.out()).contains("changes-visible-rows (NOT ACKNOWLEDGED)");

        Files.writeString(migrations.resolve("V2__rls.sql"),
                "-- hazard: changes-visible-rows: notes has no policy yet, only its owner reads it\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n");
        DbCli.Run acknowledged = db(sources("check"));
        assertThat(acknowledged.exitCode()).as(acknowledged.all()).isZero();
        assertThat(acknowledged.out()).contains("changes-visible-rows (acknowledged)", "OK.");
    }

    @Test
    void checkFailsOnAMaterializedViewRebuiltWithoutAcknowledgingIt() throws Exception {
        Files.writeString(migrations.resolve("V2__titles.sql"), "CREATE MATERIALIZED VIEW titles AS SELECT id FROM notes;\n");
        Files.writeString(migrations.resolve("V3__titles.sql"), "DROP MATERIALIZED VIEW titles;\nCREATE MATERIALIZED VIEW titles AS SELECT id, title FROM notes;\n");
        Files.writeString(schema, V1 + "CREATE MATERIALIZED VIEW titles AS SELECT id, title FROM notes;\n");
        DbCli.Run run = db(sources("check"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("rebuilds-materialized-view (NOT ACKNOWLEDGED)");
    }

    @Test
    void checkIgnoresHazardWordsInsideStringsAndComments() throws Exception {
        Files.writeString(schema, V1 + "COMMENT ON TABLE notes IS 'never DROP COLUMN here; CREATE INDEX x ON notes (id)';\n");
        Files.writeString(migrations.resolve("V2__comment.sql"),
                "/* CREATE INDEX y ON notes (title) */\nCOMMENT ON TABLE notes IS 'never DROP COLUMN here; CREATE INDEX x ON notes (id)';\n");
        DbCli.Run run = db(sources("check"));

        assertThat(run.exitCode()).as(run.all()).isZero();
    }

    // ---- push and adoption ----------------------------------------------------------------------

    @Test
    void pushCreatesTheSchemaAndALaterMigrateAdoptsItInsteadOfFailing() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        DbCli.Run push = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(push.exitCode()).as(push.all()).isZero();
        assertThat(push.out()).contains("CREATE TABLE users", "now matches");
        sql(url, "INSERT INTO users (username) VALUES ('fi')");

        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.out()).contains("Adopted", "baselined at V1");
        assertThat(rows(url, "SELECT version, type FROM flyway_schema_history")).containsExactly(List.of("1", "BASELINE"));
        assertThat(rows(url, "SELECT username FROM users")).containsExactly(List.of("fi"));

        // the next migration then applies normally on top
        Files.writeString(migrations.resolve("V2__tags.sql"), "CREATE TABLE tags (id serial PRIMARY KEY);\n");
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).out()).contains("Applied 1 migration(s)", "V2");
    }

    @Test
    void pushAheadOfTheHistoryThenGenerateThenMigrateRecordsTheVersionWithoutRunningIt() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        Files.writeString(schema, V1 + "CREATE TABLE tags (id serial PRIMARY KEY, name text);\n");
        assertThat(db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString()).exitCode()).isZero();
        sql(url, "INSERT INTO tags (name) VALUES ('kept')");
        assertThat(db(sources("generate", "--name", "tags")).exitCode()).isZero();

        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());

        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.out()).contains("recorded as applied without running", "[V2]");
        assertThat(rows(url, "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly(List.of("1", true), List.of("2", true));
        assertThat(rows(url, "SELECT name FROM tags")).containsExactly(List.of("kept"));
        DbCli.Run status = db("status", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString(), "--schema", schema.toString());
        assertThat(status.exitCode()).as(status.all()).isZero();
        assertThat(status.out()).contains("no drift", "agrees with the migrations");
    }

    @Test
    void pushRefusesProductionAndTouchesNothing() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        DbCli.Run run = db(Map.of("NODE_ENV", "production", "DATABASE_URL", url.toUrlWithPassword()), "push", "--schema", schema.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: push is for development databases, and NODE_ENV=production", "next:  write a migration");
        assertThat(catalog(url).isEmpty()).isTrue();
    }

    @Test
    void pushNeedsAcceptDataLossToDropAColumnWithRowsAndADryRunChangesNothing() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        sql(url, "INSERT INTO users (username) VALUES ('fi')", "INSERT INTO notes (user_id, title, body) VALUES (1, 't', 'precious')");
        Files.writeString(schema, V1.replace(", body text", ""));

        DbCli.Run dryRun = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString(), "--dry-run");
        DbCli.Run refused = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out()).contains("DROP COLUMN body", "would lose data", "table notes has rows");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("1 step(s) would lose data", "--accept-data-loss");
        assertThat(rows(url, "SELECT body FROM notes")).containsExactly(List.of("precious"));

        DbCli.Run accepted = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString(), "--accept-data-loss");
        assertThat(accepted.exitCode()).as(accepted.all()).isZero();
        assertThat(catalog(url).table("notes").column("body")).isNull();
    }

    @Test
    void pushManagesMaterializedViewsPoliciesAndPartitionsInAnotherSchema() throws Exception {
        String app = """
                CREATE SCHEMA app;
                CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
                CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                CREATE MATERIALIZED VIEW app.event_days AS SELECT at, count(*) AS n FROM app.events GROUP BY at;
                CREATE UNIQUE INDEX event_days_at ON app.event_days (at);
                CREATE POLICY own_events ON app.events USING (id > 0);
                ALTER TABLE app.events ENABLE ROW LEVEL SECURITY;
                """;
        Files.writeString(schema, V1 + app);
        DatabaseUrl url = cli.newDatabase();

        DbCli.Run created = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(created.exitCode()).as(created.all()).isZero();
        Catalog catalog = catalog(url);
        assertThat(catalog.materializedViews().get("app.event_days").indexes()).containsKey("event_days_at");
        assertThat(catalog.policies()).containsKey("app.events.own_events");
        assertThat(catalog.rowSecurity().get("app.events").enabled()).isTrue();
        assertThat(catalog.partitions()).containsOnlyKeys("app.events_2025", "app.events_2026");

        sql(url, "INSERT INTO app.events VALUES (1, '2025-03-01')");
        Files.writeString(schema, V1 + app.replace("CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n", ""));
        DbCli.Run refused = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("DROP TABLE app.events_2025");
        assertThat(refused.err()).contains("1 step(s) would lose data", "--accept-data-loss");
        assertThat(catalog(url).partitions()).containsKey("app.events_2025");

        DbCli.Run accepted = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString(), "--accept-data-loss");
        assertThat(accepted.exitCode()).as(accepted.all()).isZero();
        assertThat(catalog(url).partitions()).containsOnlyKeys("app.events_2026");
    }

    @Test
    void pushDropsAColumnOfAnEmptyTableWithoutAskingBecauseNothingIsLost() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        Files.writeString(schema, V1.replace(", body text", ""));

        DbCli.Run run = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(catalog(url).table("notes").column("body")).isNull();
    }

    @Test
    void migrateRefusesADatabaseWhoseSchemaMatchesNoVersionListingTheDifferencesAndChangesNothing() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        sql(url, V1, "ALTER TABLE notes ADD COLUMN surprise integer");

        DbCli.Run run = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("matches no migration version", "closest is V1", "column surprise", "next:").doesNotContain("\tat ");
        assertThat(hasTable(url, "flyway_schema_history")).isFalse();
    }

    @Test
    void racingMigratesAdoptAndApplyEachVersionOnce() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        sql(url, V1); // made by hand or by push: to be adopted at V1
        Files.writeString(migrations.resolve("V2__tags.sql"), "CREATE TABLE tags (id serial PRIMARY KEY);\n");
        Files.writeString(migrations.resolve("V3__labels.sql"), "CREATE TABLE labels (id serial PRIMARY KEY);\n");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<DbCli.Run>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) runs.add(() -> db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()));
            for (Future<DbCli.Run> result : pool.invokeAll(runs)) {
                assertThat(result.get().exitCode()).as(result.get().all()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(rows(url, "SELECT version, type FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly(List.of("1", "BASELINE"), List.of("2", "SQL"), List.of("3", "SQL"));
    }

    // ---- review follow-ups: the edges of adoption and catch-up --------------------------------

    @Test
    void aPushThatDroppedAColumnIsCaughtUpToo() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        Files.writeString(schema, V1.replace(", body text", ""));
        assertThat(db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString()).exitCode()).isZero();
        assertThat(db(sources("generate", "--name", "drop body")).exitCode()).isZero();

        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());

        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.out()).contains("recorded as applied without running", "[V2]");
    }

    @Test
    void aPushedVersionIsNotRecordedWhenItsMigrationAlsoWritesData() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        Files.writeString(migrations.resolve("V2__colors.sql"),
                "CREATE TABLE colors (name text PRIMARY KEY);\nINSERT INTO colors VALUES ('default'), ('yellow');\n");
        sql(url, "CREATE TABLE colors (name text PRIMARY KEY)"); // what a push of the schema would have made

        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());

        assertThat(migrate.exitCode()).isEqualTo(1);
        assertThat(migrate.err()).contains("already exists", "also does what a schema comparison cannot see: INSERT INTO colors");
        assertThat(rows(url, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly(List.of("1"));
    }

    @Test
    void inProductionAPushedLookingSchemaIsRecordedOnlyWithAdoptExisting() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        Files.writeString(migrations.resolve("V2__tags.sql"), "CREATE TABLE tags (id serial PRIMARY KEY);\n");
        sql(url, "CREATE TABLE tags (id serial PRIMARY KEY)"); // changed by hand on the server
        Map<String, String> production = Map.of("NODE_ENV", "production", "DATABASE_URL", url.toUrlWithPassword());

        DbCli.Run refused = db(production, "migrate", "--migrations", migrations.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("already exactly V2", "--adopt-existing");
        DbCli.Run adopted = db(production, "migrate", "--migrations", migrations.toString(), "--adopt-existing");
        assertThat(adopted.exitCode()).as(adopted.all()).isZero();
        assertThat(rows(url, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly(List.of("1"), List.of("2"));
    }

    @Test
    void aFailedConcurrentIndexBuildIsCleanedUpSoThatMigrateCanRunItAgainAfterTheFix() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        sql(url, "INSERT INTO users (username) VALUES ('fi')", "INSERT INTO notes (user_id, title) VALUES (1, 'same'), (1, 'same')");
        Files.writeString(schema, V1 + "CREATE UNIQUE INDEX notes_title_key ON notes (title);\n");
        assertThat(db(sources("generate", "--name", "unique titles")).exitCode()).isZero();
        String file = files().getLast();
        assertThat(Files.readString(migrations.resolve(file))).contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notes_title_key");

        DbCli.Run refused = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("preflight", "(title)=(same) x2", "nothing was applied");
        // past the preflight (rows it cannot see, e.g. written meanwhile): the failed build is cleaned up
        DbCli.Run failed = db("migrate", "--no-preflight", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).contains("could not create unique index", "Key (title)=(same) is duplicated", "was dropped",
                "running migrate again retries it");
        assertThat(rows(url, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).containsExactly(List.of(0L));
        assertThat(rows(url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_title_key'")).containsExactly(List.of(0L));

        sql(url, "UPDATE notes SET title = 'other' WHERE id = 2");
        DbCli.Run again = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(rows(url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_title_key'")).containsExactly(List.of(1L));
    }

    @Test
    void anExtensionTheSchemaDoesNotManageDoesNotStopAdoption() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        sql(url, V1, "CREATE EXTENSION IF NOT EXISTS pgcrypto"); // as a hosting provider might

        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());

        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.out()).contains("baselined at V1");
    }

    @Test
    void grantsToARoleTheSchemaNeverNamesAreTheOperatorsAndGrantsToANamedRoleAreManaged() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        String roles = "DO $$ BEGIN CREATE ROLE finote_operator_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
                + "DO $$ BEGIN CREATE ROLE finote_named_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;";
        sql(url, roles, V1, "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO finote_operator_app"); // as README tells operators

        DbCli.Run adopt = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(adopt.exitCode()).as(adopt.all()).isZero();
        assertThat(adopt.out()).contains("baselined at V1");
        DbCli.Run clean = db("status", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString(), "--schema", schema.toString());
        assertThat(clean.out()).as(clean.all()).contains("no drift");

        Files.writeString(schema, roles + V1 + "GRANT SELECT ON notes TO finote_named_reader;\n");
        DbCli.Run push = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(push.exitCode()).as(push.all()).isZero();
        assertThat(rows(url, "SELECT has_table_privilege('finote_named_reader', 'notes', 'SELECT'),"
                + " has_table_privilege('finote_operator_app', 'notes', 'INSERT')")).containsExactly(List.of(true, true));

        Files.writeString(migrations.resolve("V2__reader.sql"), "GRANT SELECT ON notes TO finote_named_reader;\n");
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        sql(url, "GRANT UPDATE ON notes TO finote_named_reader");
        DbCli.Run drift = db("status", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString(), "--schema", schema.toString());
        assertThat(drift.out()).as(drift.all()).contains("grant TABLE notes to finote_named_reader: UPDATE is extra")
                .doesNotContain("finote_operator_app");
    }

    @Test
    void aSchemaTheMigrationsDoNotHaveDoesNotStopAdoptionAndPushLeavesIt() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        sql(url, V1, "CREATE SCHEMA hosting", "CREATE TABLE hosting.audit (id serial PRIMARY KEY, hash text NOT NULL)",
                "INSERT INTO hosting.audit (hash) VALUES ('abc')"); // as a hosting provider might

        DbCli.Run migrate = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.out()).contains("baselined at V1");

        Files.writeString(schema, V1 + "CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id serial PRIMARY KEY, total numeric NOT NULL);\n");
        DbCli.Run push = db("push", "--url", url.toUrlWithPassword(), "--schema", schema.toString());
        assertThat(push.exitCode()).as(push.all()).isZero();
        assertThat(push.out()).contains("CREATE TABLE billing.invoices").doesNotContain("hosting");
        assertThat(rows(url, "SELECT hash FROM hosting.audit")).containsExactly(List.of("abc"));
        assertThat(catalog(url).tables()).containsKeys("billing.invoices", "hosting.audit", "notes");
    }

    @Test
    void aMisspeltRenameIsRefusedWithoutAStackTrace() throws Exception {
        Files.writeString(schema, V1.replace("body text", "content text"));
        DbCli.Run run = db(sources("generate", "--rename-column", "notes.bdy=content"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the migrations have no column notes.bdy", "next:").doesNotContain("\tat ", "Exception");
    }

    @Test
    void checkFollowsRenameChainsAndAColumnRenamedBeforeItsTable() throws Exception {
        Files.writeString(schema, V1.replace("CREATE TABLE notes", "CREATE TABLE memos").replace("body text", "content text")
                .replace("REFERENCES users (id), title", "REFERENCES users (id), title"));
        Files.writeString(migrations.resolve("V2__renames.sql"), """
                -- finote: phase=post-deploy
                ALTER TABLE notes RENAME COLUMN body TO draft;
                ALTER TABLE notes RENAME COLUMN draft TO content;
                ALTER TABLE notes RENAME TO memos;
                ALTER SEQUENCE notes_id_seq RENAME TO memos_id_seq;
                ALTER TABLE memos RENAME CONSTRAINT notes_pkey TO memos_pkey;
                ALTER TABLE memos RENAME CONSTRAINT notes_user_id_fkey TO memos_user_id_fkey;
                """);
        DbCli.Run run = db(sources("check"));

        assertThat(run.all()).doesNotContain("Exception", "deletes-data");
        assertThat(run.exitCode()).as(run.all()).isZero();
    }

    @Test
    void noPasswordIsEverPrinted() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        String wrong = url.withCredentials("postgres", "s3cret-Passw0rd").toUrlWithPassword().replace("localhost", "127.0.0.1:1").replaceFirst(":\\d+/", "/");
        for (String[] args : List.of(new String[]{"migrate"}, new String[]{"status"}, new String[]{"push", "--schema", schema.toString()})) {
            DbCli.Run run = db(Map.of("DATABASE_URL", wrong), args);
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.all()).doesNotContain("s3cret-Passw0rd").contains("error:");
        }
    }

    // ---- pull and status ------------------------------------------------------------------------

    @Test
    void pullWritesASchemaThatRebuildsTheSameCatalogAndNeverOverwritesSilently() throws Exception {
        DatabaseUrl source = cli.newDatabase();
        sql(source, V1, "CREATE TYPE mood AS ENUM ('calm', 'busy')", "ALTER TABLE notes ADD COLUMN mood mood DEFAULT 'calm'",
                "CREATE INDEX notes_title_lower_idx ON notes (lower(title)) WHERE body IS NOT NULL",
                "COMMENT ON COLUMN notes.title IS 'what the note is about'");
        Path pulled = migrations.getParent().resolve("pulled.sql");

        DbCli.Run run = db("pull", "--url", source.toUrlWithPassword(), "--output", pulled.toString());
        assertThat(run.exitCode()).as(run.all()).isZero();
        DatabaseUrl rebuilt = cli.newDatabase();
        sql(rebuilt, Files.readString(pulled));
        assertThat(catalog(rebuilt)).isEqualTo(catalog(source));

        Files.writeString(pulled, "-- my own notes\n");
        DbCli.Run refused = db("pull", "--url", source.toUrlWithPassword(), "--output", pulled.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("exists and differs", "--force");
        assertThat(Files.readString(pulled)).isEqualTo("-- my own notes\n");
        assertThat(db("pull", "--url", source.toUrlWithPassword(), "--output", pulled.toString(), "--force").exitCode()).isZero();
    }

    @Test
    void statusReportsDriftAndASchemaFileAheadOfTheMigrations() throws Exception {
        DatabaseUrl url = cli.newDatabase();
        db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        DbCli.Run clean = db("status", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString(), "--schema", schema.toString());
        assertThat(clean.exitCode()).as(clean.all()).isZero();

        sql(url, "ALTER TABLE notes ADD COLUMN hotfix text");
        Files.writeString(schema, V1 + "CREATE TABLE tags (id serial PRIMARY KEY);\n");
        DbCli.Run drift = db("status", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString(), "--schema", schema.toString());

        assertThat(drift.exitCode()).isEqualTo(StatusCommand.EXIT_DRIFT);
        assertThat(drift.out()).contains("Drift", "column hotfix", "change(s) no migration makes yet", "table tags");
    }

    @Test
    void everySchemaCommandHasHelp() {
        for (String command : List.of("generate", "check", "push", "pull", "status", "migrate")) {
            DbCli.Run help = db(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: db " + command);
        }
        assertThat(db("generate", "--help").out()).contains("--name", "--rename-column", "--schema", "--migrations");
        assertThat(db("push", "--help").out()).contains("--accept-data-loss", "--dry-run", "--url");
    }
}
