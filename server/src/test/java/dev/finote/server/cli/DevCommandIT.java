package dev.finote.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `finote dev` with zero setup: an embedded PostgreSQL whose data survives restarts. */
class DevCommandIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(int port, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void zeroSetupDatabaseKeepsItsDataAcrossRestarts(@TempDir Path temp) throws Exception {
        Path data = temp.resolve("pgdata");
        int port = FinoteProcess.freePort();
        Map<String, String> environment = Map.of("FINOTE_DATA_DIR", data.toString(), "PORT", Integer.toString(port));

        try (FinoteProcess first = FinoteProcess.start(environment, "dev")) {
            first.awaitHttp("http://localhost:" + port + "/readyz", Duration.ofSeconds(90));
            assertThat(post(port, "/api/auth/register", "{\"username\":\"fi\",\"password\":\"secret123\"}").statusCode()).isEqualTo(201);
            first.terminate();
            FinoteProcess.Result stopped = first.waitForExit(Duration.ofSeconds(40));
            assertThat(stopped.output()).contains("Applied migrations", "Finote is running on http://localhost:" + port);
            // Only the lines that matter: no page of Spring, Tomcat and Hikari INFO lines around them.
            assertThat(stopped.output()).doesNotContain(" INFO ").doesNotContain("Tomcat initialized").doesNotContain("HikariPool");
        }
        assertThat(Files.exists(data.resolve("PG_VERSION"))).isTrue();
        assertThat(Files.exists(data.resolve("postmaster.pid"))).as("the embedded PostgreSQL stopped with the server").isFalse();

        try (FinoteProcess second = FinoteProcess.start(environment, "dev")) {
            second.awaitHttp("http://localhost:" + port + "/readyz", Duration.ofSeconds(90));
            HttpResponse<String> login = post(port, "/api/auth/login", "{\"username\":\"fi\",\"password\":\"secret123\"}");
            assertThat(login.statusCode()).isEqualTo(200);
            second.terminate();
            assertThat(second.waitForExit(Duration.ofSeconds(40)).output()).contains("is at schema version");
        }
    }
}
