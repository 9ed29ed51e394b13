package dev.finote.server.lifecycle;

import dev.finote.db.postgres.Jdbc;
import dev.finote.server.support.Api;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.Catalog;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static dev.finote.server.lifecycle.Lifecycle.assertJsonError;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server never runs DDL: the shared test server runs as {@link AppRole}, which may only
 * read and write rows and use sequences. These tests prove that role really cannot change
 * the schema (so running under it is not a vacuous check), that the server really connects
 * as it, and that the whole API works under it without the schema changing.
 */
@ExtendWith(FinoteExtension.class)
class NoDdlTest {

    /** PostgreSQL's insufficient_privilege. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;

    NoDdlTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE ddl_probe (id integer)",
            "CREATE TEMPORARY TABLE ddl_probe (id integer)",
            "CREATE SEQUENCE ddl_probe_seq",
            "CREATE VIEW ddl_probe AS SELECT 1 AS one",
            "CREATE FUNCTION ddl_probe() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
            "CREATE SCHEMA ddl_probe",
            "CREATE INDEX ddl_probe_idx ON notes (title)",
            "ALTER TABLE notes ADD COLUMN ddl_probe text",
            "ALTER TABLE finote_sessions ALTER COLUMN expires_at DROP NOT NULL",
            "ALTER TABLE users RENAME TO ddl_probe",
            "DROP TABLE finote_login_throttle",
            "DROP INDEX notes_user_pinned_created_idx",
            "TRUNCATE notes",
    })
    void theApplicationRoleCannotChangeTheSchema(String ddl) throws SQLException {
        try (Connection connection = Jdbc.connect(db.appUrl())) {
            connection.setAutoCommit(false); // should a statement ever succeed, it is rolled back
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute(ddl))
                        .as("the application role must not be able to run: %s", ddl)
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).as("SQLState of %s", e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            } finally {
                connection.rollback();
            }
        }
    }

    /** The positive control: the same role reads and writes rows and uses sequences, so the refusals above are about DDL. */
    @Test
    void theApplicationRoleCanReadAndWriteRowsAndUseSequences() throws SQLException {
        try (Connection connection = Jdbc.connect(db.appUrl())) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.executeUpdate("INSERT INTO users (username, password) VALUES ('" + Lifecycle.unique("ddl") + "', 'x')");
                sql.executeUpdate("UPDATE users SET password = 'y' WHERE username LIKE 'ddl\\_%'");
                sql.executeUpdate("DELETE FROM users WHERE username LIKE 'ddl\\_%'");
                try (ResultSet rs = sql.executeQuery("SELECT nextval('notes_id_seq'), (SELECT count(*) FROM finote_sessions)")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isPositive();
                }
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void theServerConnectsAsTheRestrictedRole() throws SQLException {
        DataSource pool = server.context().getBean(DataSource.class);
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT current_user,
                            (SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user),
                            has_schema_privilege('public', 'CREATE'),
                            has_database_privilege(current_database(), 'CREATE'),
                            has_database_privilege(current_database(), 'TEMPORARY'),
                            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                     WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user)""")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(AppRole.NAME);
            assertThat(rs.getBoolean(2)).as("superuser, createdb or createrole").isFalse();
            assertThat(rs.getBoolean(3)).as("CREATE on schema public").isFalse();
            assertThat(rs.getBoolean(4)).as("CREATE on the database").isFalse();
            assertThat(rs.getBoolean(5)).as("TEMPORARY on the database").isFalse();
            assertThat(rs.getBoolean(6)).as("owns a table, index or sequence (ownership allows ALTER/DROP)").isFalse();
        }
    }

    @Test
    void aFullCycleWorksUnderTheRestrictedRoleAndLeavesTheSchemaAsItWas() {
        List<String> schemaBefore = Catalog.describe(db.superuserUrl(), Set.of());
        List<List<Object>> historyBefore = Sql.rows(db.superuserUrl(), "SELECT installed_rank, version, checksum FROM flyway_schema_history ORDER BY installed_rank");

        String username = Lifecycle.unique("noddl");
        Api.Response registered = api.post("/api/auth/register", json("username", username, "password", "secret123"));
        assertThat(registered.status()).as("register: %s", registered).isEqualTo(201);
        int userId = registered.json().get("id").intValue();

        Api.Response login = api.post("/api/auth/login", json("username", username, "password", "secret123"));
        assertThat(login.status()).as("login: %s", login).isEqualTo(200);
        String cookie = api.sessionCookie();
        assertThat(cookie).isNotBlank();
        assertThat(api.get("/api/auth/me").json().get("id").intValue()).isEqualTo(userId);

        Api.Response created = api.post("/api/notes", """
                {"title":"Belanja","content":"Beras 5kg","isPinned":true,"color":"yellow","tags":["belanja","rumah"]}""");
        assertThat(created.status()).as("create: %s", created).isEqualTo(201);
        int noteId = created.json().get("id").intValue();
        assertThat(created.json().get("userId").intValue()).isEqualTo(userId);

        Api.Response updated = api.put("/api/notes/" + noteId, "{\"title\":\"Belanja besar\",\"isPinned\":false}");
        assertThat(updated.status()).as("update: %s", updated).isEqualTo(200);
        assertThat(updated.json().get("title").stringValue()).isEqualTo("Belanja besar");
        assertThat(Sql.rows(db.superuserUrl(), "SELECT title, content, is_pinned FROM notes WHERE id = ?", noteId))
                .containsExactly(List.of("Belanja besar", "Beras 5kg", false));

        JsonNode listed = api.get("/api/notes").json();
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("id").intValue()).isEqualTo(noteId);

        assertThat(api.delete("/api/notes/" + noteId).status()).isEqualTo(204);
        assertThat(Lifecycle.count(db.superuserUrl(), "SELECT count(*) FROM notes WHERE id = ? AND deleted_at IS NULL", noteId)).isZero();
        assertThat(api.get("/api/notes").json().size()).isZero();

        Api.Response logout = api.post("/api/auth/logout", null);
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json()).isEqualTo(Lifecycle.json("{\"success\":true}"));
        assertThat(Lifecycle.count(db.superuserUrl(), "SELECT count(*) FROM finote_sessions WHERE user_id = ?", userId)).isZero();
        api.useSessionCookie(cookie);
        assertJsonError(api.get("/api/auth/me"), 401, "unauthorized");

        assertThat(Catalog.describe(db.superuserUrl(), Set.of())).as("schema after the cycle").isEqualTo(schemaBefore);
        assertThat(Sql.rows(db.superuserUrl(), "SELECT installed_rank, version, checksum FROM flyway_schema_history ORDER BY installed_rank"))
                .as("migration history after the cycle").isEqualTo(historyBefore);
    }
}
