package dev.finote.server.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.db.cli.DbCommand;
import dev.finote.db.cli.DbContext;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the command line's logging (logback-cli.xml, as the launcher sets it), only Finote's own
 * lines reach the terminal: Flyway's "ERROR DbMigrate: … Please restore backups" does not, neither
 * beside Finote's error:/next: pair nor on a migrate that succeeds after a push.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuietFlywayTest {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    /** What a command printed: its own streams, and whatever logging wrote to the process's stderr. */
    private record Printed(int exit, String own, String logged) {
    }

    @Test
    void flywaysOwnErrorLinesNeverReachTheTerminal(@TempDir Path dir) throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migration"));
        Files.writeString(migrations.resolve("V1__notes.sql"), "CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL);\n");
        DatabaseUrl db = postgres.createUniqueDatabase("quiet");
        Map<String, String> environment = Map.of("DATABASE_URL", db.toUrlWithPassword(),
                "SHADOW_DATABASE_URL", postgres.url().withDatabase("postgres").toUrlWithPassword());
        assertThat(run(environment, "migrate", "--migrations", migrations.toString()).exit()).isZero();

        // A push made the change; its migration then finds it made and is recorded (Flyway failed it first).
        try (Connection connection = Jdbc.connect(db); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE notes ADD COLUMN color text");
            statement.execute("INSERT INTO notes (title) VALUES ('kept')");
        }
        Files.writeString(migrations.resolve("V2__color.sql"), "ALTER TABLE notes ADD COLUMN color text;\n");
        Printed afterPush = run(environment, "migrate", "--migrations", migrations.toString());
        assertThat(afterPush.exit()).as(afterPush.toString()).isZero();
        assertThat(afterPush.own()).contains("recorded as applied without running");
        assertThat(afterPush.logged()).as("logged on a successful migrate").isEmpty();

        // A migration that fails in Flyway (the preflight, which would refuse it first, is skipped):
        // Finote's error:/next: pair, and nothing else.
        Files.writeString(migrations.resolve("V3__broken.sql"), "ALTER TABLE notes ADD COLUMN size integer NOT NULL;\n");
        Printed failed = run(environment, "migrate", "--no-preflight", "--migrations", migrations.toString());
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.own()).contains("error: migration failed", "contains null values", "next:");
        assertThat(failed.logged()).as("logged beside error:/next:").isEmpty();
    }

    /** Runs {@code finote db args…} in-process with the command line's logging configuration. */
    private Printed run(Map<String, String> environment, String... args) throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream original = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try {
            logging.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(logging);
            configurator.doConfigure(getClass().getResource("/logback-cli.xml"));
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            StringWriter own = new StringWriter();
            ProjectLayout layout = new ProjectLayout(Optional.empty(), Path.of("").toAbsolutePath(), Optional.empty());
            PrintWriter writer = new PrintWriter(own, true);
            var line = DbCommand.commandLine(new DbContext(environment, layout, writer, writer));
            line.setOut(writer);
            line.setErr(writer);
            int exit = line.execute(args);
            return new Printed(exit, own.toString(), logged.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
            logging.reset();
            new ContextInitializer(logging).autoConfig();
        }
    }
}
