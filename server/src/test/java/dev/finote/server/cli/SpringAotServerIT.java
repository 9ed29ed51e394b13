package dev.finote.server.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `finote serve` from the packaged jar with its context from Spring AOT's generated code
 * ({@code -Dspring.aot.enabled=true}, as the launcher and the image start it): it starts (it would
 * refuse to without the generated code), and the API, its description, the probes and the JSON
 * errors work as they do in the tests that start the context the usual way.
 */
class SpringAotServerIT {

    @Test
    void theServerBuiltFromTheGeneratedContextServesTheApi() throws Exception {
        try (EmbeddedDatabase postgres = EmbeddedDatabase.temporary()) {
            DatabaseUrl database = postgres.url();
            new Migrator(database, ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
            int port = FinoteProcess.freePort();
            try (FinoteProcess server = FinoteProcess.start(Map.of("DATABASE_URL", database.toUrlWithPassword(), "PORT", Integer.toString(port)), "serve")) {
                server.awaitHttp("http://localhost:" + port + "/readyz", Duration.ofSeconds(90));
                Api api = new Api("http://localhost:" + port);

                api.registerAndLogin("aot", "generated-context-42");
                assertThat(api.post("/api/notes", "{\"title\":\"Belanja\",\"content\":\"Beras 5kg\"}").status()).isEqualTo(201);
                Api.Response notes = api.get("/api/notes");
                assertThat(notes.status()).isEqualTo(200);
                assertThat(notes.body()).contains("\"title\":\"Belanja\"");
                assertThat(api.get("/api/auth/me").body()).contains("\"username\":\"aot\"");

                Api anonymous = new Api("http://localhost:" + port);
                assertThat(anonymous.get("/api/notes").status()).isEqualTo(401);
                Api.Response unknown = anonymous.get("/nope");
                assertThat(unknown.status()).isEqualTo(404);
                assertThat(unknown.body()).isEqualTo("{\"message\":\"not_found\"}");
                Api.Response description = anonymous.get("/api/openapi.json");
                assertThat(description.status()).isEqualTo(200);
                assertThat(description.body()).contains("\"openapi\":\"3.1").contains("/api/notes");

                server.terminate();
                FinoteProcess.Result stopped = server.waitForExit(Duration.ofSeconds(40));
                assertThat(stopped.output()).contains("Starting AOT-processed FinoteApplication")
                        .doesNotContain("Exception").doesNotContain(" ERROR ")
                        // Without NODE_ENV the development profile: plain log lines, not production's JSON
                        // (Spring AOT activates at every start the profiles it saw at build time).
                        .contains("profile is active: \"development\"").doesNotContain("{\"@timestamp\"");
            }
        }
    }
}
