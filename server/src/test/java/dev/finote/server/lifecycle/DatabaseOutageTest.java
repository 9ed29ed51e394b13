package dev.finote.server.lifecycle;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;

import static dev.finote.server.lifecycle.Lifecycle.assertJsonError;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under a running server and comes back on the same port: the
 * process stays alive ({@code /healthz} 200), {@code /readyz} and the API answer 503 JSON
 * (never a 500 or a hang), and everything recovers by itself, sessions included.
 */
class DatabaseOutageTest {

    private static final JsonNode OK = Lifecycle.json("{\"status\":\"ok\"}");
    private static final JsonNode READY = Lifecycle.json("{\"status\":\"ready\"}");

    @TempDir
    Path tempDir;

    @Test
    void theServerAnswers503WhileTheDatabaseIsDownAndRecoversWhenItIsBack() {
        Path dataDirectory = tempDir.resolve("pgdata");
        int port = Lifecycle.freePort();
        EmbeddedDatabase database = EmbeddedDatabase.persistent(dataDirectory, port); // null while stopped
        TestServer server = null;
        try {
            new Migrator(database.url(), ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
            DatabaseUrl app = AppRole.grant(database.url());
            server = TestServer.start(app);
            Api client = server.api();
            int userId = client.registerAndLogin("outage", "secret123");
            assertThat(client.post("/api/notes", json("title", "before", "content", "the outage")).status()).isEqualTo(201);
            assertThat(client.get("/readyz").json()).isEqualTo(READY);

            database.close();
            database = null;

            // The probes answer for themselves, with or without a session cookie.
            Api probe = server.api();
            Api.Response down = Lifecycle.await(Duration.ofSeconds(20), () -> probe.get("/readyz"), r -> r.status() == 503);
            ReadinessTest.assertNotReady(down, "database_unreachable");
            ReadinessTest.assertNotReady(client.get("/readyz"), "database_unreachable");
            for (Api caller : new Api[] {probe, client}) {
                Api.Response health = caller.get("/healthz");
                assertThat(health.status()).as("/healthz while the database is down: %s", health).isEqualTo(200);
                assertThat(health.json()).isEqualTo(OK);
            }

            assertUnavailable(client.get("/api/notes"));
            assertUnavailable(client.post("/api/notes", json("title", "during", "content", "the outage")));
            assertUnavailable(client.get("/api/auth/me"));
            assertUnavailable(server.api().post("/api/auth/login", json("username", "outage", "password", "secret123")));
            // Without a session no database is needed to refuse.
            assertJsonError(server.api().get("/api/notes"), 401, "unauthorized");

            database = EmbeddedDatabase.persistent(dataDirectory, port);

            Api.Response up = Lifecycle.await(Duration.ofSeconds(30), () -> probe.get("/readyz"), r -> r.status() == 200);
            assertThat(up.status()).as("/readyz once the database is back: %s", up).isEqualTo(200);
            assertThat(up.json()).isEqualTo(READY);
            assertThat(client.get("/readyz").json()).isEqualTo(READY);
            Api.Response me = Lifecycle.await(Duration.ofSeconds(10), () -> client.get("/api/auth/me"), r -> r.status() == 200);
            assertThat(me.status()).as("the session outlived the outage: %s", me).isEqualTo(200);
            assertThat(me.json().get("id").intValue()).isEqualTo(userId);
            Api.Response notes = client.get("/api/notes");
            assertThat(notes.status()).isEqualTo(200);
            assertThat(notes.json().size()).isEqualTo(1);
            assertThat(notes.json().get(0).get("title").stringValue()).isEqualTo("before");
            assertThat(client.post("/api/notes", json("title", "after", "content", "the outage")).status()).isEqualTo(201);
        } finally {
            if (server != null) server.close();
            if (database != null) database.close();
        }
    }

    private static void assertUnavailable(Api.Response response) {
        assertJsonError(response, 503, "service_unavailable");
        assertThat(response.body()).doesNotContain("Exception", "<html", "\tat ");
    }
}
