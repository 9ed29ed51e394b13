package dev.finote.db.cli;

import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.ProjectLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@code finote db} command does not stop the development database under another user of it (review M6). */
class TargetOptionsTest {

    @TempDir
    Path tempDir;

    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopLeftoverPostmaster() throws Exception {
        Path pidFile = dataDirectory().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isPresent()) {
            postmaster.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
            postmaster.get().onExit().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void theDevelopmentDatabaseIsLeftRunningWhileAnotherProcessUsesIt() throws Exception {
        TargetOptions.Target target = new TargetOptions().open(context());
        try (Connection dev = Jdbc.connect(target.url())) { // stands in for `finote dev`, which reused the cluster
            target.close();

            assertThat(err.toString()).contains("left the development database running: another process is using it");
            assertThat(selectOne(dev)).as("the other process's connection survives").isEqualTo(1);
            try (Connection later = Jdbc.connect(target.url())) {
                assertThat(selectOne(later)).as("the cluster still accepts connections").isEqualTo(1);
            }
        }
    }

    @Test
    void theDevelopmentDatabaseIsStoppedWhenNobodyElseUsesIt() {
        TargetOptions.Target target = new TargetOptions().open(context());

        target.close();

        assertThat(err.toString()).doesNotContain("left the development database running");
        assertThatThrownBy(() -> Jdbc.connect(target.url()).close()).isInstanceOf(SQLException.class);
    }

    private DbContext context() {
        ProjectLayout layout = new ProjectLayout(Optional.empty(), tempDir, Optional.of(dataDirectory()));
        return new DbContext(Map.of(), layout, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    private Path dataDirectory() {
        return tempDir.resolve("pgdata");
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
