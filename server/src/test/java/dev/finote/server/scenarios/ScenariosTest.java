package dev.finote.server.scenarios;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.server.support.Api;
import dev.finote.server.support.BundledMigrations;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static dev.finote.server.scenarios.TwoMachines.concat;
import static dev.finote.server.scenarios.TwoMachines.libpq;
import static dev.finote.server.scenarios.TwoMachines.newDatabase;
import static dev.finote.server.scenarios.TwoMachines.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The six scenarios of the operations document (SCENARIOS.md), run the way an operator runs
 * them: {@code finote …} commands with only environment variables and arguments, the
 * PostgreSQL client tools where the document uses them, two PostgreSQL clusters standing in
 * for the laptop and the server, and the data checked after every step through the real
 * HTTP API of a server started on that database.
 *
 * <p>One {@link Nested} class per scenario, sharing the two machines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The six scenarios of the operations document")
class ScenariosTest {

    TwoMachines machines;

    @BeforeAll
    void startMachines() {
        machines = new TwoMachines();
    }

    @AfterAll
    void stopMachines() {
        machines.close();
    }

    static final List<String> BUNDLED = BundledMigrations.versions();
    static final String LATEST = BundledMigrations.latest();

    // ---------------------------------------------------------------- helpers: the data, through the API

    /** Registers {@code username}, logs in and writes three notes (one pinned, tagged, with awkward text). */
    static Api userWithNotes(TestServer server, String username, String password) {
        Api api = server.api();
        api.registerAndLogin(username, password);
        created(api, "{\"title\":\"groceries\",\"content\":\"milk\\neggs\",\"isPinned\":true,\"tags\":[\"home\",\"weekly\"]}");
        created(api, "{\"title\":\"quotes ' \\\" \\\\ and ünïcode 😀\",\"content\":\"\",\"color\":\"yellow\"}");
        created(api, "{\"title\":\"plain\",\"content\":\"no tags\",\"tags\":null}");
        return api;
    }

    static JsonNode created(Api api, String json) {
        Api.Response response = api.post("/api/notes", json);
        assertThat(response.status()).as("create note: %s", response).isEqualTo(201);
        return response.json();
    }

    /** The user's notes as the API lists them (the whole JSON body: ids, userId, createdAt, everything). */
    static String notes(Api api) {
        Api.Response response = api.get("/api/notes");
        assertThat(response.status()).as("list notes: %s", response).isEqualTo(200);
        return response.body();
    }

    static Api login(TestServer server, String username, String password) {
        Api api = server.api();
        Api.Response response = api.post("/api/auth/login", Api.json("username", username, "password", password));
        assertThat(response.status()).as("login %s: %s", username, response).isEqualTo(200);
        return api;
    }

    static int loginStatus(TestServer server, String username, String password) {
        return server.api().post("/api/auth/login", Api.json("username", username, "password", password)).status();
    }

    static void assertReady(TestServer server) {
        Api.Response ready = server.api().get("/readyz");
        assertThat(ready.status()).as("/readyz: %s", ready).isEqualTo(200);
    }

    static void assertUpToDate(TwoMachines machines, DatabaseUrl url) {
        TwoMachines.Run status = machines.finote(url, "db", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Up to date.");
    }

    static void assertMigrated(TwoMachines.Run migrate) {
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("Applied " + BUNDLED.size() + " migration(s)", BundledMigrations.listedFrom(1), "Schema version is now " + LATEST);
    }

    // ---------------------------------------------------------------- the scenarios

    @Nested
    @DisplayName("1. Local, fresh start: push the schema to an empty database, run the backend")
    class Scenario1LocalFreshStart {

        @Test
        void pushCreatesTheTablesTheBackendServesAndALaterMigrateAdoptsThePushedDatabase() {
            DatabaseUrl laptop = newDatabase(machines.laptop(), "l1");
            Map<String, String> development = Map.of("DATABASE_URL", laptop.toUrlWithPassword());

            TwoMachines.Run push = machines.finote(development, "db", "push");
            assertThat(push.exitCode()).as(push.toString()).isZero();
            assertThat(push.out()).contains("CREATE TABLE users", "CREATE TABLE notes", "now matches");
            assertThat(Sql.value(laptop, "SELECT count(*) FROM notes")).as("an empty database, tables created").isEqualTo(0L);

            String before;
            try (TestServer server = TestServer.start(laptop)) {
                Api fi = userWithNotes(server, "fi", "secret123");
                before = notes(fi);
            }
            // Pushing again changes nothing; the first `migrate` adopts the pushed schema instead of
            // failing with "relation already exists" (drizzle-kit's failure), and keeps every row.
            assertThat(machines.finote(development, "db", "push").out()).contains("already matches");
            TwoMachines.Run migrate = machines.finote(development, "db", "migrate");
            assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
            assertThat(migrate.out()).contains("Adopted", "baselined at V" + LATEST);
            try (TestServer server = TestServer.start(laptop)) {
                assertThat(notes(login(server, "fi", "secret123"))).isEqualTo(before);
            }
        }

        @Test
        void pushIsRefusedInProductionAndTouchesNothing() {
            DatabaseUrl production = newDatabase(machines.server(), "s1");

            TwoMachines.Run push = machines.finote(production, "db", "push");

            assertThat(push.exitCode()).isEqualTo(1);
            assertThat(push.err()).contains("NODE_ENV=production", "finote db generate");
            assertThat(Sql.value(production, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo(0L);
        }
    }

    @Nested
    @DisplayName("2. Local, data already there: restart the database and run the backend, no push needed")
    class Scenario2LocalDataAlreadyThere {

        @Test
        void aLaptopRestartKeepsEveryNoteAndSession() {
            // First run on the laptop: no DATABASE_URL, the project's embedded PostgreSQL.
            Map<String, String> laptopEnv = Map.of("FINOTE_DATA_DIR", machines.laptopDataDirectory().toString());
            TwoMachines.Run migrate = machines.finote(laptopEnv, "db", "migrate");
            assertMigrated(migrate);
            assertThat(migrate.err()).contains("Using the embedded development database in " + machines.laptopDataDirectory());
            DatabaseUrl laptop = machines.laptop().url();
            String before;
            String cookie;
            try (TestServer server = TestServer.start(laptop)) {
                Api fi = userWithNotes(server, "fi", "secret123");
                before = notes(fi);
                cookie = fi.sessionCookie();
                assertThat(before).contains("groceries", "quotes", "plain");
            }

            // The laptop restarts: the backend stops, PostgreSQL stops, its data folder stays.
            int port = laptop.port();
            machines.stopLaptop();
            assertThatThrownBy(() -> Jdbc.connect(laptop).close()).isInstanceOf(SQLException.class);
            machines.startLaptop(port);

            // Nothing to push or migrate: the schema and the rows are there.
            TwoMachines.Run status = machines.finote(laptopEnv, "db", "status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("Up to date.");
            try (TestServer server = TestServer.start(machines.laptop().url())) {
                assertReady(server);
                Api sameBrowser = server.api();
                sameBrowser.useSessionCookie(cookie);
                assertThat(notes(sameBrowser)).as("the session survived the restart").isEqualTo(before);
                assertThat(notes(login(server, "fi", "secret123"))).isEqualTo(before);
                JsonNode next = created(sameBrowser, "{\"title\":\"after restart\",\"content\":\"x\"}");
                assertThat(next.get("id").intValue()).isEqualTo(4);
            }
        }
    }

    @Nested
    @DisplayName("3. Server, fresh start: migrate (never push), then start the backend")
    class Scenario3ServerFreshStart {

        @Test
        void migrateCreatesTheSchemaAndTheServerServesUnderARoleWithoutDdl() {
            DatabaseUrl production = newDatabase(machines.server(), "s3");

            try (TestServer early = TestServer.start(production)) {
                Api.Response notReady = early.api().get("/readyz");
                assertThat(notReady.status()).isEqualTo(503);
                assertThat(notReady.body()).contains("schema_not_initialized");

                TwoMachines.Run pending = machines.finote(production, "db", "status");
                assertThat(pending.exitCode()).as(pending.toString()).isEqualTo(3);
                assertMigrated(machines.finote(production, "db", "migrate"));
                assertReady(early);
            }
            // A second deploy runs the same one-off migration job: nothing to do.
            TwoMachines.Run again = machines.finote(production, "db", "migrate");
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).contains("is up to date (schema version " + LATEST + ")");
            assertThat(again.out()).doesNotContain("Backup");

            try (TestServer server = TestServer.start(AppRole.grant(production), Map.of("NODE_ENV", "production"))) {
                assertReady(server);
                Api budi = server.api();
                budi.registerAndLogin("budi", "rahasia-Budi-2024");
                assertThat(notes(budi)).isEqualTo("[]");
                created(budi, "{\"title\":\"first production note\",\"content\":\"hello\"}");
                assertThat(notes(budi)).contains("first production note");
            }
            assertThat(Sql.value(production, "SELECT count(*) FROM notes")).isEqualTo(1L);
        }
    }

    @Nested
    @DisplayName("4. Server fresh start, taking the data from the laptop")
    class Scenario4MovingData {

        @Test
        void withFinoteBackupAndRestore() {
            DatabaseUrl laptop = newDatabase(machines.laptop(), "l4");
            assertMigrated(machines.finote(laptop, "db", "migrate"));
            Path file = machines.folder("s4").resolve("laptop.finote-backup");
            String fiNotes;
            String budiNotes;
            try (TestServer laptopServer = TestServer.start(laptop)) {
                Api fi = userWithNotes(laptopServer, "fi", "secret123");
                Api budi = userWithNotes(laptopServer, "budi", "rahasia-Budi-2024");
                fiNotes = notes(fi);
                budiNotes = notes(budi);
                // Backed up while the laptop's server keeps serving.
                TwoMachines.Run backup = machines.finote(laptop, "db", "backup", file.toString());
                assertThat(backup.exitCode()).as(backup.toString()).isZero();
                assertThat(backup.out()).contains("(schema version " + LATEST + ")", "finote db restore " + file);
                created(fi, "{\"title\":\"written after the backup\",\"content\":\"stays on the laptop\"}");
            }

            DatabaseUrl production = newDatabase(machines.server(), "s4");
            TwoMachines.Run restore = machines.finote(production, "db", "restore", file.toString());
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(restore.out()).contains("Restored", "Schema version is now " + LATEST);
            assertUpToDate(machines, production);

            try (TestServer server = TestServer.start(production)) {
                assertReady(server);
                Api fi = login(server, "fi", "secret123");
                assertThat(notes(fi)).isEqualTo(fiNotes).doesNotContain("written after the backup");
                assertThat(notes(login(server, "budi", "rahasia-Budi-2024"))).isEqualTo(budiNotes);
                assertThat(loginStatus(server, "fi", "wrong-password")).isEqualTo(401);
                // New ids follow the restored ones.
                assertThat(created(fi, "{\"title\":\"on the server\",\"content\":\"x\"}").get("id").intValue()).isEqualTo(7);
                assertThat(server.api().registerAndLogin("siti", "p@ss w0rd ünïcode")).isEqualTo(3);
            }

            // Restoring again over data is refused, naming what it would overwrite.
            TwoMachines.Run twice = machines.finote(production, "db", "restore", file.toString());
            assertThat(twice.exitCode()).isEqualTo(1);
            assertThat(twice.out()).containsPattern("table +notes +7 rows");
            assertThat(twice.err()).contains("--overwrite " + production.database());
        }

        @Test
        void withPgDumpAndPsqlThenMigrate() throws Exception {
            // The laptop is one migration behind this build (its last, post-deploy one): the server's migrate brings it up.
            Path oldMigrations = machines.folder("s4-old-migrations");
            for (Path bundled : BundledMigrations.files()) {
                if (!bundled.getFileName().toString().startsWith("V" + LATEST + "__")) Files.copy(bundled, oldMigrations.resolve(bundled.getFileName()));
            }
            DatabaseUrl laptop = newDatabase(machines.laptop(), "l4dump");
            TwoMachines.Run old = machines.finote(laptop, "db", "migrate", "--migrations", oldMigrations.toString());
            assertThat(old.exitCode()).as(old.toString()).isZero();
            String fiNotes;
            try (TestServer laptopServer = TestServer.start(laptop)) {
                fiNotes = notes(userWithNotes(laptopServer, "fi", "secret123"));
            }
            Path dump = machines.folder("s4-dump").resolve("laptop.sql");

            TwoMachines.Run pgDump = tool(concat(List.of("pg_dump", "--no-owner", "--no-privileges", "-f", dump.toString()), libpq(laptop).toArray(String[]::new)));
            assertThat(pgDump.exitCode()).as(pgDump.toString()).isZero();
            DatabaseUrl production = newDatabase(machines.server(), "s4dump");
            TwoMachines.Run psql = tool(concat(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.toString()), libpq(production).toArray(String[]::new)));
            assertThat(psql.exitCode()).as(psql.toString()).isZero();

            TwoMachines.Run migrate = machines.finote(production, "db", "migrate");
            assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
            assertThat(migrate.out()).contains("Applied 1 migration(s)", "V" + LATEST, "Schema version is now " + LATEST);
            assertUpToDate(machines, production);

            try (TestServer server = TestServer.start(production)) {
                assertReady(server);
                Api fi = login(server, "fi", "secret123");
                assertThat(notes(fi)).isEqualTo(fiNotes);
                assertThat(created(fi, "{\"title\":\"on the server\",\"content\":\"x\"}").get("id").intValue()).isEqualTo(4);
            }
        }
    }

    @Nested
    @DisplayName("5. Server, total reset: all data is lost, the schema is rebuilt")
    class Scenario5TotalReset {

        @Test
        void withFinoteDbResetConfirmedByTheDatabaseName() {
            DatabaseUrl production = newDatabase(machines.server(), "s5");
            assertMigrated(machines.finote(production, "db", "migrate"));
            try (TestServer server = TestServer.start(production)) {
                Api fi = userWithNotes(server, "fi", "secret123");
                String before = notes(fi);

                TwoMachines.Run unconfirmed = machines.finote(production, "db", "reset");
                assertThat(unconfirmed.exitCode()).isEqualTo(1);
                assertThat(unconfirmed.out()).containsPattern("table +notes +3 rows").containsPattern("table +users +1 rows");
                assertThat(unconfirmed.err()).contains("nothing was changed", "finote db reset --confirm " + production.database())
                        .doesNotContain("\tat ", "Exception");
                TwoMachines.Run wrongName = machines.finote(production, "db", "reset", "--confirm", "finote");
                assertThat(wrongName.exitCode()).isEqualTo(1);
                assertThat(notes(fi)).as("refused resets change nothing").isEqualTo(before);
            }

            TwoMachines.Run reset = machines.finote(production, "db", "reset", "--confirm", production.database());
            assertThat(reset.exitCode()).as(reset.toString()).isZero();
            assertThat(reset.out()).contains("Migrated from zero: applied " + BundledMigrations.listedFrom(1));
            assertUpToDate(machines, production);

            try (TestServer server = TestServer.start(production)) {
                assertReady(server);
                assertThat(loginStatus(server, "fi", "secret123")).isEqualTo(401);
                Api fresh = server.api();
                assertThat(fresh.registerAndLogin("fi", "a-new-password")).isEqualTo(1);
                assertThat(notes(fresh)).isEqualTo("[]");
            }
        }

        @Test
        void byDroppingAndCreatingTheDatabaseThenMigrating() {
            DatabaseUrl production = newDatabase(machines.server(), "s5drop");
            assertMigrated(machines.finote(production, "db", "migrate"));
            try (TestServer server = TestServer.start(production)) {
                userWithNotes(server, "fi", "secret123");
            }

            // The backend is stopped; the operator drops and creates the database with psql.
            DatabaseUrl maintenance = production.withDatabase("postgres");
            String name = Jdbc.quoteIdentifier(production.database());
            TwoMachines.Run drop = tool(concat(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", "DROP DATABASE " + name), libpq(maintenance).toArray(String[]::new)));
            TwoMachines.Run create = tool(concat(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE " + name), libpq(maintenance).toArray(String[]::new)));
            assertThat(drop.exitCode()).as(drop.toString()).isZero();
            assertThat(create.exitCode()).as(create.toString()).isZero();
            assertMigrated(machines.finote(production, "db", "migrate"));

            try (TestServer server = TestServer.start(production)) {
                assertReady(server);
                assertThat(loginStatus(server, "fi", "secret123")).isEqualTo(401);
                Api fresh = server.api();
                fresh.registerAndLogin("fi", "a-new-password");
                assertThat(notes(fresh)).isEqualTo("[]");
            }
        }
    }

    @Nested
    @DisplayName("6. Server, keep the old data: change the schema, generate, migrate, restart")
    class Scenario6SchemaUpdateKeepingTheData {

        @Test
        void aGeneratedMigrationUpdatesTheSchemaWhileTheServerKeepsServingAndEveryNoteStays() throws Exception {
            DatabaseUrl production = newDatabase(machines.server(), "s6");
            assertMigrated(machines.finote(production, "db", "migrate"));

            // The developer's checkout: the project's schema and migrations, then a change to schema.sql.
            Path project = machines.folder("s6-project-" + System.nanoTime());
            Path migrations = Files.createDirectories(project.resolve("migration"));
            for (Path bundled : BundledMigrations.files()) Files.copy(bundled, migrations.resolve(bundled.getFileName()));
            int next = Integer.parseInt(LATEST) + 1;
            Path schema = project.resolve("schema.sql");
            Files.writeString(schema, new String(getClass().getResourceAsStream("/db/schema.sql").readAllBytes())
                    + "\nALTER TABLE notes ADD COLUMN archived boolean NOT NULL DEFAULT false;\n"
                    + "CREATE INDEX notes_user_archived_idx ON notes (user_id, archived);\n");
            String[] sources = {"--schema", schema.toString(), "--migrations", migrations.toString()};

            try (TestServer server = TestServer.start(AppRole.grant(production), Map.of("NODE_ENV", "production"))) {
                Api siti = userWithNotes(server, "siti", "p@ss w0rd ünïcode");
                String before = notes(siti);

                TwoMachines.Run generate = machines.finote(Map.of(), concat(List.of("db", "generate", "--name", "archived"), sources).toArray(String[]::new));
                assertThat(generate.exitCode()).as(generate.toString()).isZero();
                assertThat(generate.out()).contains("V" + next + "__archived_part1.sql", "V" + (next + 1) + "__archived_part2.sql");
                TwoMachines.Run check = machines.finote(Map.of(), concat(List.of("db", "check"), sources).toArray(String[]::new));
                assertThat(check.exitCode()).as(check.toString()).isZero();

                // migrate while the old server keeps serving: no downtime, nothing lost
                TwoMachines.Run migrate = machines.finote(production, "db", "migrate", "--migrations", migrations.toString());
                assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
                assertThat(migrate.out()).contains("Applied 2 migration(s)", "V" + next + ", V" + (next + 1), "Schema version is now " + (next + 1));
                assertThat(notes(siti)).isEqualTo(before);
                created(siti, "{\"title\":\"written during the update\",\"content\":\"x\"}");
            }
            assertThat(Sql.value(production, "SELECT count(*) FROM notes WHERE NOT archived")).isEqualTo(4L);
            assertThat(Sql.value(production, "SELECT indexdef FROM pg_indexes WHERE indexname = 'notes_user_archived_idx'").toString())
                    .contains("(user_id, archived)");
            // restart the backend on the updated schema
            try (TestServer restarted = TestServer.start(AppRole.grant(production), Map.of("NODE_ENV", "production"))) {
                assertThat(notes(login(restarted, "siti", "p@ss w0rd ünïcode"))).contains("groceries", "written during the update");
            }
        }
    }
}
