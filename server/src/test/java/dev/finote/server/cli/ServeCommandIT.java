package dev.finote.server.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `finote serve` in production mode, run as a process: what it refuses, how it logs, how it stops. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeCommandIT {

    private static final String GOOD_SECRET = "4f1c0e9a7b3d52e8a6c1f0b9d7e3a5c2";

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DatabaseUrl database = postgres.url();

    @BeforeAll
    void migrate() {
        new Migrator(database, ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
    }

    private Map<String, String> production(String... overrides) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "NODE_ENV", "production", "DATABASE_URL", database.toUrlWithPassword(), "SESSION_SECRET", GOOD_SECRET));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) environment.remove(overrides[i]);
            else environment.put(overrides[i], overrides[i + 1]);
        }
        return environment;
    }

    @Test
    void refusesToStartWithoutASessionSecret() throws Exception {
        FinoteProcess.Result result = FinoteProcess.run(production("SESSION_SECRET", null), "serve");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("error: finote cannot start", "SESSION_SECRET is required in production")
                .doesNotContain("Exception");
    }

    @Test
    void refusesAPlaceholderOrShortSessionSecret() throws Exception {
        for (String weak : new String[]{"keyboard cat", "changeme", "short-secret"}) {
            FinoteProcess.Result result = FinoteProcess.run(production("SESSION_SECRET", weak), "serve");
            assertThat(result.exitCode()).as(weak).isEqualTo(2);
            assertThat(result.output()).contains("SESSION_SECRET is a placeholder or shorter than 32 characters");
        }
    }

    @Test
    void refusesToStartWithoutADatabaseUrl() throws Exception {
        FinoteProcess.Result result = FinoteProcess.run(production("DATABASE_URL", null), "serve");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("DATABASE_URL is required by `finote serve`");
    }

    @Test
    void refusesAWildcardCorsOriginAndNamesEveryProblemAtOnce() throws Exception {
        FinoteProcess.Result result = FinoteProcess.run(production("CORS_ORIGIN", "*", "PORT", "http"), "serve");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("CORS_ORIGIN must list exact origins", "PORT must be a whole number");
    }

    @Test
    void devRefusesToRunInProduction() throws Exception {
        FinoteProcess.Result result = FinoteProcess.run(production(), "dev");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("never run production in development mode; use `finote serve`");
    }

    @Test
    void servesWithJsonLogLinesAndStopsCleanlyOnSigterm() throws Exception {
        int port = FinoteProcess.freePort();
        try (FinoteProcess server = FinoteProcess.start(production("PORT", Integer.toString(port)), "serve")) {
            server.awaitHttp("http://localhost:" + port + "/healthz", Duration.ofSeconds(60));
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);

            server.terminate();
            FinoteProcess.Result result = server.waitForExit(Duration.ofSeconds(40));

            JsonMapper json = JsonMapper.builder().build();
            var lines = result.output().lines().filter(line -> line.startsWith("{")).toList();
            assertThat(lines).isNotEmpty();
            lines.forEach(line -> assertThat(json.readTree(line).has("message")).as(line).isTrue());
            assertThat(result.output()).contains("Started FinoteApplication").contains("Graceful shutdown")
                    .doesNotContain(GOOD_SECRET);
        }
    }
}
