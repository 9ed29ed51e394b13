package dev.finote.server.lifecycle;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers shared by the lifecycle tests: polling with a deadline, extra databases, HMACs. */
final class Lifecycle {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Lifecycle() {
    }

    /** A name (also usable as a database name) no other test uses. */
    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Probes until {@code done} accepts the value or {@code timeout} passes; returns the last
     * value either way, so the caller's assertion shows what was seen.
     */
    static <T> T await(Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (done.test(value) || System.nanoTime() > deadline) return value;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** HMAC-SHA-256 of {@code token} under {@code secret}, computed independently of the server's code. */
    static byte[] hmac(String secret, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** Asserts an error answer: the status, a JSON body and the message code. */
    static void assertJsonError(Api.Response response, int status, String message) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("Content-Type of %s", response)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.json().path("message").stringValue()).as("message of %s", response).isEqualTo(message);
    }

    /** A new, empty database in the shared cluster (superuser URL). */
    static DatabaseUrl freshDatabase(SharedDatabase db, String prefix) {
        return db.embedded().createDatabase(unique(prefix));
    }

    /** Drops a database made by {@link #freshDatabase}, disconnecting whoever still uses it. */
    static void dropDatabase(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url.withDatabase("postgres")); Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + Jdbc.quoteIdentifier(url.database()) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + url.database() + ": " + e.getMessage(), e);
        }
    }

    /** Applies the project's migrations up to and including {@code version} only, with Flyway directly. */
    static void migrateUpTo(DatabaseUrl url, String version) {
        Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations(ProjectLayout.CLASSPATH_MIGRATIONS)
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .target(version)
                .load()
                .migrate();
    }

    /** The versions Flyway recorded as applied, in order. */
    static java.util.List<String> appliedVersions(DatabaseUrl url) {
        return Sql.rows(url, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                .stream().map(row -> (String) row.getFirst()).toList();
    }

    static long count(DatabaseUrl url, String sql, Object... parameters) {
        return ((Number) Sql.value(url, sql, parameters)).longValue();
    }
}
