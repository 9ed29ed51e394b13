package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The old Node backend's database, loaded the way the operations document does: with psql. The dump
 * and its README (users and passwords) live in the db module's test resources, inside this repository,
 * so a clone with nothing beside it runs every test.
 */
public final class NodeFixture {

    private static final Path FIXTURE = Path.of("..", "db", "src", "test", "resources", "fixtures", "finote-node-v0.sql");

    private NodeFixture() {
    }

    public static Path dump() {
        Path fixture = FIXTURE.toAbsolutePath().normalize();
        assertThat(fixture).as("the Node-era fixture in the db module's test resources").exists();
        return fixture;
    }

    /** Loads a plain pg_dump file into {@code target} with psql, failing the test on any error. */
    public static void restoreWithPsql(DatabaseUrl target, Path dump) throws IOException, InterruptedException {
        Process psql = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", target.host(),
                "-p", Integer.toString(target.port()), "-U", target.user(), "-d", target.database(), "-f", dump.toString())
                .redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as("psql output: " + output).isZero();
    }
}
