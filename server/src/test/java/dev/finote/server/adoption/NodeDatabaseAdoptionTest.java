package dev.finote.server.adoption;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.db.cli.DbCommand;
import dev.finote.db.cli.DbContext;
import dev.finote.server.support.Api;
import dev.finote.server.support.BundledMigrations;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.NodeFixture;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's end-to-end adoption: a database made by the old Node backend, restored with psql,
 * then `finote db migrate`, then the server: every user logs in with their old password and
 * every note keeps its id, title, content, pin, color, tags and createdAt.
 */
@ExtendWith(FinoteExtension.class)
class NodeDatabaseAdoptionTest {

    /** The fixture's users and passwords (db/src/test/resources/fixtures/README.md). */
    private static final Map<String, String> PASSWORDS = Map.of("fi", "secret123", "budi", "rahasia-Budi-2024", "siti", "p@ss w0rd ünïcode");

    private final SharedDatabase db;

    NodeDatabaseAdoptionTest(SharedDatabase db) {
        this.db = db;
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run migrate(DatabaseUrl url) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The packaged migrations (classpath), as `java -jar finote.jar db migrate` uses them.
        ProjectLayout layout = new ProjectLayout(Optional.empty(), Path.of("."), Optional.empty());
        Map<String, String> environment = Map.of("DATABASE_URL", url.toUrlWithPassword(),
                "SHADOW_DATABASE_URL", db.superuserUrl().withDatabase("postgres").toUrlWithPassword());
        var line = DbCommand.commandLine(new DbContext(environment, layout, new PrintWriter(out, true), new PrintWriter(err, true)));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute("migrate");
        return new Run(exit, out.toString(), err.toString());
    }

    private DatabaseUrl nodeDatabase() throws Exception {
        DatabaseUrl url = db.embedded().createUniqueDatabase("node");
        NodeFixture.restoreWithPsql(url, NodeFixture.dump());
        return url;
    }

    /** The notes as the old backend stored them, in the API's shape, by id. */
    private static List<List<Object>> notesAsStored(DatabaseUrl url) {
        return Sql.rows(url, """
                SELECT n.id, u.username, n.title, n.content, coalesce(n.is_pinned, false), n.color, n.tags::text,
                       to_char(n.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                  FROM notes n JOIN users u ON u.id = n.user_id ORDER BY n.id""");
    }

    private static List<List<Object>> notesFromTheApi(TestServer server) {
        List<List<Object>> notes = new ArrayList<>();
        for (var user : PASSWORDS.entrySet()) {
            Api client = server.api();
            Api.Response login = client.post("/api/auth/login", json("username", user.getKey(), "password", user.getValue()));
            assertThat(login.status()).as("login of %s: %s", user.getKey(), login).isEqualTo(200);
            for (JsonNode note : client.get("/api/notes").json()) {
                String tags = note.get("tags").isNull() ? null : "{" + String.join(",", quotedTags(note.get("tags"))) + "}";
                notes.add(List.of(note.get("id").intValue(), user.getKey(), note.get("title").stringValue(), note.get("content").stringValue(),
                        note.get("isPinned").booleanValue(), note.get("color").stringValue(), tags == null ? "null" : tags,
                        note.get("createdAt").stringValue()));
            }
        }
        notes.sort((a, b) -> Integer.compare((Integer) a.getFirst(), (Integer) b.getFirst()));
        return notes;
    }

    /** Tags as PostgreSQL's text form of text[] writes them (quoted when they hold a comma, space or quote). */
    private static List<String> quotedTags(JsonNode tags) {
        List<String> out = new ArrayList<>();
        for (JsonNode tag : tags) {
            String value = tag.stringValue();
            out.add(value.matches("[^,{}\" \\\\]+") ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return out;
    }

    private static List<List<Object>> withNullsAsText(List<List<Object>> rows) {
        return rows.stream().map(row -> row.stream().map(value -> value == null ? (Object) "null" : value).toList()).toList();
    }

    @Test
    void theNodeBackendsDatabaseIsAdoptedInPlaceAndEveryUserAndNoteKeepsWorking() throws Exception {
        DatabaseUrl node = nodeDatabase();
        List<List<Object>> before = notesAsStored(node);
        assertThat(before).hasSize(4);

        Run first = migrate(node);
        Run second = migrate(node);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Adopted", "Drizzle's migration history (1 migration(s)", "public.session", "baselined at V1",
                "Applied " + (BundledMigrations.versions().size() - 1) + " migration(s)", BundledMigrations.listedFrom(2));
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("is up to date").doesNotContain("Adopted");
        assertThat(Sql.rows(node, "SELECT version, type FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactlyElementsOf(BundledMigrations.versions().stream().map(v -> List.<Object>of(v, v.equals("1") ? "BASELINE" : "SQL")).toList());
        assertThat(Sql.value(node, "SELECT count(*) FROM session")).as("the Node session table is left in place").isEqualTo(2L);

        try (TestServer server = TestServer.start(AppRole.grant(node))) {
            assertThat(notesFromTheApi(server)).containsExactlyElementsOf(withNullsAsText(before));
            Api fi = server.api();
            fi.post("/api/auth/login", json("username", "fi", "password", "secret123"));
            Api.Response created = fi.post("/api/notes", json("title", "after the switch", "content", "x"));
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("id").intValue()).as("new ids follow the old ones").isEqualTo(5);
            assertThat(fi.post("/api/auth/login", json("username", "fi", "password", "wrong")).status()).isEqualTo(401);
        }
    }

    @Test
    void aNodeDatabaseWithoutDrizzlesHistoryOrTheSessionTableIsAdoptedToo() throws Exception {
        // e.g. made with `drizzle-kit push`, or a server that never stored a session
        DatabaseUrl node = nodeDatabase();
        Sql.update(node, "DROP TABLE session");
        Sql.update(node, "DROP SCHEMA drizzle CASCADE");
        Sql.update(node, "INSERT INTO users (username, password) SELECT 'user' || i, 'x' FROM generate_series(1, 500) i");
        Sql.update(node, "INSERT INTO notes (user_id, title, content) SELECT u.id, 'n', 'c' FROM users u, generate_series(1, 20)");

        Run run = migrate(node);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Adopted", "baselined at V1").doesNotContain("Drizzle");
        assertThat(Sql.value(node, "SELECT count(*) FROM notes")).isEqualTo(4L + 503 * 20);
    }

    @Test
    void aNodeDatabaseThatWasChangedByHandIsRefusedWithTheDifferencesAndLeftAsItWas() throws Exception {
        DatabaseUrl node = nodeDatabase();
        Sql.update(node, "ALTER TABLE notes ADD COLUMN archived boolean");

        Run run = migrate(node);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("made by the old Node backend", "matches no migration version", "closest is V1",
                "column archived", "next:");
        assertThat(Sql.value(node, "SELECT to_regclass('flyway_schema_history') IS NULL")).isEqualTo(true);
        assertThat(Sql.value(node, "SELECT to_regclass('finote_sessions') IS NULL")).isEqualTo(true);
    }
}
