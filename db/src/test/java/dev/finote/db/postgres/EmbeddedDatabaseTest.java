package dev.finote.db.postgres;

import dev.finote.db.DatabaseException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Embedded clusters never outlive the code that started them by accident (review M3). */
class EmbeddedDatabaseTest {

    @TempDir
    Path tempDir;

    @Test
    void closingATemporaryClusterTwiceIsSafeAndRemovesItsDirectory() throws Exception {
        Path directory = ClusterTemplate.copyToNewDirectory();
        EmbeddedDatabase database = EmbeddedDatabase.temporary(directory);
        assertThat(selectOne(database.url())).isEqualTo(1);
        long postmaster = postmasterPid(directory);

        database.close();
        database.close();

        assertThat(directory).doesNotExist();
        assertExits(postmaster);
        assertThatThrownBy(() -> selectOne(database.url())).isInstanceOf(SQLException.class);
        assertThat(Runtime.getRuntime().removeShutdownHook(database.shutdownHook()))
                .as("a closed cluster's hook is no longer registered").isFalse();
    }

    @Test
    void theShutdownHookOfATemporaryClusterStopsItAndRemovesItsDirectory() throws Exception {
        Path directory = ClusterTemplate.copyToNewDirectory();
        EmbeddedDatabase database = EmbeddedDatabase.temporary(directory);
        Thread hook = database.shutdownHook();
        assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("registered while the cluster runs").isTrue();
        Runtime.getRuntime().addShutdownHook(hook);
        long postmaster = postmasterPid(directory);

        hook.run();

        assertThat(directory).doesNotExist();
        assertExits(postmaster);
        assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isFalse();
        database.close(); // still safe afterwards
    }

    @Test
    void aPersistentClusterHasNoShutdownHook() {
        try (EmbeddedDatabase database = EmbeddedDatabase.persistent(tempDir.resolve("pgdata"))) {
            assertThat(database.shutdownHook()).isNull();
        }
    }

    @Test
    void terminatingTheJvmStopsItsTemporaryCluster() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldsATemporaryCluster.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Path directory;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the child started a cluster").isNotNull();
            directory = Path.of(line);
            long postmaster = postmasterPid(directory);

            child.destroy(); // SIGTERM, as Ctrl-C would: the JVM runs its shutdown hooks
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(directory).doesNotExist();
            assertExits(postmaster);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aPersistentClusterThatFailsToOpenAfterStartingIsStopped() throws Exception {
        Path dataDirectory = tempDir.resolve("pgdata");
        breakDatabaseCreation(dataDirectory);

        assertThatThrownBy(() -> EmbeddedDatabase.persistent(dataDirectory)).isInstanceOf(DatabaseException.class);

        assertThat(EmbeddedDatabase.runningPostmasterPort(dataDirectory)).as("no postmaster left running").isEmpty();
    }

    @Test
    void aTemporaryClusterThatFailsToOpenAfterStartingIsStoppedAndRemoved() {
        Path directory = ClusterTemplate.copyToNewDirectory();
        breakDatabaseCreation(directory);

        assertThatThrownBy(() -> EmbeddedDatabase.temporary(directory)).isInstanceOf(DatabaseException.class);

        assertThat(directory).doesNotExist();
    }

    /** Leaves a stopped cluster in which Finote's database is missing and cannot be created (no template1). */
    private static void breakDatabaseCreation(Path dataDirectory) {
        try (EmbeddedDatabase database = EmbeddedDatabase.persistent(dataDirectory);
             Connection connection = Jdbc.connect(database.url().withDatabase("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE " + EmbeddedDatabase.DATABASE_NAME);
            statement.execute("ALTER DATABASE template1 IS_TEMPLATE false");
            statement.execute("ALTER DATABASE template1 RENAME TO template_gone");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static int selectOne(DatabaseUrl url) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Test
    void aPostmasterOrphanedByAKilledProcessIsStoppedAndStartedAgainSayingSo() throws Exception {
        Path dataDirectory = tempDir.resolve("pgdata");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldsAPersistentCluster.class.getName(),
                dataDirectory.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long orphan;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("the child started the cluster").isEqualTo("started");
            orphan = postmasterPid(dataDirectory);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close(): the postmaster is left behind
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("orphaned").contains(true);
        List<String> said = new java.util.ArrayList<>();

        try (EmbeddedDatabase database = EmbeddedDatabase.persistent(dataDirectory, said::add)) {
            assertThat(said).singleElement().asString().contains("was left running by a finote process that has ended",
                    "pid " + orphan, "stopping it and starting it again");
            assertExits(orphan);
            assertThat(postmasterPid(dataDirectory)).isNotEqualTo(orphan);
            assertThat(selectOne(database.url())).isEqualTo(1);
            assertThat(EmbeddedDatabase.ownerAlive(dataDirectory)).isTrue();
        }
        assertThat(EmbeddedDatabase.runningPostmasterPort(dataDirectory)).as("stopped by its new owner").isEmpty();
    }

    @Test
    void aClusterWhoseOwnerRunsIsReusedSilently() throws Exception {
        Path dataDirectory = tempDir.resolve("pgdata");
        try (EmbeddedDatabase owner = EmbeddedDatabase.persistent(dataDirectory)) {
            long postmaster = postmasterPid(dataDirectory);
            List<String> said = new java.util.ArrayList<>();
            try (EmbeddedDatabase second = EmbeddedDatabase.persistent(dataDirectory, said::add)) {
                assertThat(said).isEmpty();
                assertThat(postmasterPid(dataDirectory)).isEqualTo(postmaster);
                assertThat(selectOne(second.url())).isEqualTo(1);
            }
            assertThat(selectOne(owner.url())).as("the reusing side left it running for its owner").isEqualTo(1);
        }
    }

    /** The postmaster exits (it removes its pid file, which pg_ctl waits for, just before it does). */
    private static void assertExits(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("postmaster " + pid + " still runs", e);
            }
        }
    }

    private static long postmasterPid(Path dataDirectory) throws Exception {
        List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
        return Long.parseLong(lines.getFirst().trim());
    }

    /** A process that starts the persistent cluster in {@code args[0]}, says "started", and waits to be killed. */
    static final class HoldsAPersistentCluster {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase.persistent(Path.of(args[0]));
            System.out.println("started");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /** A process holding a throw-away cluster until it is terminated; prints the cluster's directory. */
    static final class HoldsATemporaryCluster {
        public static void main(String[] args) throws Exception {
            Path directory = ClusterTemplate.copyToNewDirectory();
            EmbeddedDatabase.temporary(directory);
            System.out.println(directory);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
