package dev.finote.server.lifecycle;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static dev.finote.server.lifecycle.Lifecycle.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /readyz} reports whether this instance can serve: the database answers and holds
 * every migration this build ships; it is checked afresh on each probe, so the instance
 * becomes ready once the database is migrated, without a restart. The servers on partly
 * migrated databases run as the superuser on purpose: a server that migrated the schema
 * itself would then succeed and be ready at once, and these tests would fail.
 */
@ExtendWith(FinoteExtension.class)
class ReadinessTest {

    private static final JsonNode READY = Lifecycle.json("{\"status\":\"ready\"}");
    private static final JsonNode OK = Lifecycle.json("{\"status\":\"ok\"}");

    private final SharedDatabase db;
    private final Api api;

    ReadinessTest(SharedDatabase db, Api api) {
        this.db = db;
        this.api = api;
    }

    @Test
    void readyOnAMigratedDatabase() {
        Api.Response ready = api.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(ready.json()).isEqualTo(READY);
    }

    @Test
    void schemaBehindOnADatabaseMigratedOnlyToV2UntilTheRestIsApplied() {
        DatabaseUrl database = Lifecycle.freshDatabase(db, "finote_v2");
        try {
            Lifecycle.migrateUpTo(database, "2");
            assertThat(Lifecycle.appliedVersions(database)).containsExactly("1", "2");
            try (TestServer server = TestServer.start(database)) {
                Api client = server.api();
                Api.Response behind = client.get("/readyz");
                assertNotReady(behind, "schema_behind");
                assertThat(behind.json().path("detail").stringValue()).contains("V3").doesNotContain("V1", "V2");
                assertThat(client.get("/healthz").json()).isEqualTo(OK);
                assertThat(Lifecycle.appliedVersions(database)).as("the server must not migrate by itself").containsExactly("1", "2");
                assertThat(count(database, "SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_user_pinned_created_idx'")).isZero();

                new Migrator(database, ProjectLayout.CLASSPATH_MIGRATIONS).migrate();

                Api.Response recovered = Lifecycle.await(Duration.ofSeconds(10), () -> client.get("/readyz"), r -> r.status() == 200);
                assertThat(recovered.status()).as("/readyz after migrating: %s", recovered).isEqualTo(200);
                assertThat(recovered.json()).isEqualTo(READY);
            }
        } finally {
            Lifecycle.dropDatabase(database);
        }
    }

    @Test
    void schemaNotInitializedOnAnEmptyDatabaseUntilItIsMigrated() {
        DatabaseUrl database = Lifecycle.freshDatabase(db, "finote_empty");
        try (TestServer server = TestServer.start(database)) {
            Api client = server.api();
            assertNotReady(client.get("/readyz"), "schema_not_initialized");
            assertThat(client.get("/healthz").json()).isEqualTo(OK);
            assertThat(count(database, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"))
                    .as("relations the server created in an empty database").isZero();

            new Migrator(database, ProjectLayout.CLASSPATH_MIGRATIONS).migrate();

            Api.Response recovered = Lifecycle.await(Duration.ofSeconds(10), () -> client.get("/readyz"), r -> r.status() == 200);
            assertThat(recovered.status()).as("/readyz after migrating: %s", recovered).isEqualTo(200);
            assertThat(recovered.json()).isEqualTo(READY);
        } finally {
            Lifecycle.dropDatabase(database);
        }
    }

    static void assertNotReady(Api.Response response, String reason) {
        assertThat(response.status()).as("/readyz: %s", response).isEqualTo(503);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = response.json();
        assertThat(body.path("status").asString()).as("status in %s", body).isEqualTo("not-ready");
        assertThat(body.path("reason").asString()).as("reason in %s", body).isEqualTo(reason);
        assertThat(body.path("detail").isString()).as("a detail for the operator: %s", body).isTrue();
    }
}
