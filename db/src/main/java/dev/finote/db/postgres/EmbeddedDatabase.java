package dev.finote.db.postgres;

import dev.finote.db.DatabaseException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real PostgreSQL (zonky's embedded binaries) for development, shadow schemas and tests.
 *
 * <p>With a data directory the cluster persists across restarts: that is the zero-setup
 * development database. When a postmaster started by another {@code finote} process that still
 * runs serves that directory, it is reused rather than started twice, so {@code finote db status}
 * works beside a running {@code finote dev}. One whose starting process has ended (its JVM was
 * killed) is an orphan: it is stopped and started again by the process that found it, saying so,
 * unless a client still uses it. The starting process is recorded in {@value #OWNER_FILE} in the
 * data directory.
 *
 * <p>A throw-away cluster is also stopped (and its directory removed) by a JVM shutdown hook,
 * so Ctrl-C during a command that uses one leaves no postmaster behind.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** How long a count of other clients may take to fall to zero before it is believed. */
    private static final Duration OTHER_CLIENTS_SETTLE = Duration.ofSeconds(2);


    /** The database Finote uses inside the embedded cluster (created on first start). */
    public static final String DATABASE_NAME = "finote";
    private static final String SUPERUSER = "postgres";

    /** In a persistent data directory: "pid start-epoch-ms" of the finote process that started its postmaster. */
    static final String OWNER_FILE = "finote.owner";

    private final EmbeddedPostgres postgres; // null when an already running postmaster is reused
    private final Path reusedDirectory;      // the data directory of a reused postmaster; null otherwise
    private final DatabaseUrl url;
    private final Path throwAwayDirectory;   // deleted on close; null for a persistent cluster
    private final Thread shutdownHook;       // closes a throw-away cluster on JVM exit; null for a persistent one
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseUrl url, Path throwAwayDirectory) {
        this(postgres, url, throwAwayDirectory, null);
    }

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseUrl url, Path throwAwayDirectory, Path reusedDirectory) {
        this.postgres = postgres;
        this.reusedDirectory = reusedDirectory;
        this.url = url;
        this.throwAwayDirectory = throwAwayDirectory;
        this.shutdownHook = throwAwayDirectory == null ? null : new Thread(this::close, "finote-embedded-postgres-stop");
    }

    /**
     * Starts (or reuses) a cluster whose data lives in {@code dataDirectory} and survives restarts.
     * The caller stops it with {@link #close()}, after whatever uses it has stopped: no JVM
     * shutdown hook races the server's graceful shutdown. A short command that may share it with
     * a server started meanwhile uses {@link #closeUnlessInUse()} instead.
     */
    public static EmbeddedDatabase persistent(Path dataDirectory) {
        return persistent(dataDirectory, 0);
    }

    /** As {@link #persistent(Path)}, on a given port (0: any free port). */
    public static EmbeddedDatabase persistent(Path dataDirectory, int port) {
        return persistent(dataDirectory, port, System.err::println);
    }

    /** As {@link #persistent(Path)}, telling {@code say} when it stops an orphaned postmaster. */
    public static EmbeddedDatabase persistent(Path dataDirectory, java.util.function.Consumer<String> say) {
        return persistent(dataDirectory, 0, say);
    }

    /** As {@link #persistent(Path, int)}, telling {@code say} when it stops an orphaned postmaster. */
    public static EmbeddedDatabase persistent(Path dataDirectory, int port, java.util.function.Consumer<String> say) {
        EmbeddedPostgres started = null;
        try {
            Files.createDirectories(dataDirectory.getParent());
            Optional<Integer> runningPort = runningPostmasterPort(dataDirectory);
            if (runningPort.isPresent()) {
                DatabaseUrl url = localUrl(runningPort.get(), DATABASE_NAME);
                if (ownerAlive(dataDirectory) || clientsOtherThanMe(url) > 0) {
                    ensureDatabase(url);
                    return new EmbeddedDatabase(null, url, null, dataDirectory);
                }
                long pid = postmasterPid(dataDirectory);
                say.accept("The embedded PostgreSQL in " + dataDirectory + " (pid " + pid + ", port " + runningPort.get()
                        + ") was left running by a finote process that has ended; stopping it and starting it again.");
                stopPostmaster(dataDirectory, pid);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false);
            if (port > 0) builder.setPort(port);
            started = builder.start();
            recordOwner(dataDirectory);
            DatabaseUrl url = localUrl(started.getPort(), DATABASE_NAME);
            ensureDatabase(url);
            return new EmbeddedDatabase(started, url, null);
        } catch (IOException e) {
            stopQuietly(started);
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stopQuietly(started); // a cluster we started must not outlive a failed open
            throw e;
        }
    }

    /**
     * Starts a throw-away cluster in a temporary directory, removed on {@link #close()}.
     *
     * <p>Its data directory is a copy of a cluster initialised once per user and kept in the
     * user's cache folder ({@link ClusterTemplate}): copying takes a fraction of initdb's time,
     * which shadow databases and tests pay at every start. Durability is off (nothing survives it anyway).
     * A JVM shutdown hook closes it if the process exits first (Ctrl-C).
     */
    public static EmbeddedDatabase temporary() {
        return temporary(ClusterTemplate.copyToNewDirectory());
    }

    /** A throw-away cluster in {@code directory} (an initialised, stopped cluster), which it owns and removes. */
    static EmbeddedDatabase temporary(Path directory) {
        EmbeddedPostgres started = null;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false);
            THROW_AWAY_SETTINGS.forEach(builder::setServerConfig);
            started = builder.start();
            DatabaseUrl url = localUrl(started.getPort(), DATABASE_NAME);
            ensureDatabase(url);
            EmbeddedDatabase database = new EmbeddedDatabase(started, url, directory);
            // Nothing else races a throw-away cluster's shutdown, so a hook may stop it on Ctrl-C.
            Runtime.getRuntime().addShutdownHook(database.shutdownHook);
            return database;
        } catch (IOException e) {
            stopQuietly(started);
            ClusterTemplate.deleteQuietly(directory);
            throw new UncheckedIOException("could not start an embedded PostgreSQL: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stopQuietly(started);
            ClusterTemplate.deleteQuietly(directory);
            throw e;
        }
    }

    private static void stopQuietly(EmbeddedPostgres postgres) {
        if (postgres == null) return;
        try {
            postgres.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure that brought us here is the one to report
        }
    }

    /** Settings for clusters whose data is thrown away: no waiting for the disk. */
    static final java.util.Map<String, String> THROW_AWAY_SETTINGS = java.util.Map.of(
            "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

    /** The Finote database in this cluster, as the superuser. */
    public DatabaseUrl url() {
        return url;
    }

    /** Another (new, empty) database in the same cluster, named {@code prefix_<12 random hex digits>}. */
    public DatabaseUrl createUniqueDatabase(String prefix) {
        return createDatabase(prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /** Another (new, empty) database in the same cluster, created now. */
    public DatabaseUrl createDatabase(String name) {
        try (Connection connection = Jdbc.connect(url.withDatabase("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(name));
            return url.withDatabase(name);
        } catch (SQLException e) {
            throw new DatabaseException("could not create database " + name + ": " + e.getMessage(), e);
        }
    }

    private static DatabaseUrl localUrl(int port, String database) {
        return new DatabaseUrl("localhost", port, database, SUPERUSER, null, null);
    }

    private static void ensureDatabase(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url.withDatabase("postgres"));
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, url.database());
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) return;
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(url.database()));
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not prepare the embedded database: " + e.getMessage(), e);
        }
    }

    /**
     * The port of a live postmaster serving this data directory, read from its
     * {@code postmaster.pid} (line 1: pid, line 4: port), if the process still runs.
     */
    static Optional<Integer> runningPostmasterPort(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) return Optional.empty();
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) return Optional.empty();
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void recordOwner(Path dataDirectory) throws IOException {
        ProcessHandle me = ProcessHandle.current();
        long started = me.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        Path temporary = dataDirectory.resolve(OWNER_FILE + ".new");
        Files.writeString(temporary, me.pid() + " " + started + "\n");
        Files.move(temporary, dataDirectory.resolve(OWNER_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether the finote process that started this directory's postmaster still runs (the same process, not a reused pid). */
    static boolean ownerAlive(Path dataDirectory) {
        try {
            String[] owner = Files.readString(dataDirectory.resolve(OWNER_FILE)).trim().split(" ");
            long pid = Long.parseLong(owner[0]);
            long started = owner.length > 1 ? Long.parseLong(owner[1]) : 0;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(process -> started == 0 || process.info().startInstant()
                            .map(instant -> instant.toEpochMilli() == started).orElse(true))
                    .orElse(false);
        } catch (IOException | RuntimeException unknown) {
            return false; // no record (an older finote started it) or an unreadable one: nobody vouches for it
        }
    }

    private static long postmasterPid(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().trim());
    }

    /**
     * Stops an orphaned postmaster nobody is connected to: SIGTERM (PostgreSQL's "smart" shutdown,
     * immediate without clients), then waits for it to end, with a deadline.
     */
    private static void stopPostmaster(Path dataDirectory, long pid) {
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isEmpty()) return;
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new DatabaseException("the orphaned embedded PostgreSQL (pid " + pid + ") in " + dataDirectory
                    + " did not stop within 60 s; stop it (kill -INT " + pid + ") and try again", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DatabaseException("could not wait for the embedded PostgreSQL (pid " + pid + ") to stop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while stopping the embedded PostgreSQL (pid " + pid + ")", e);
        }
    }

    /**
     * Stops the cluster if this object started it, whoever else uses it. A reused postmaster is
     * left running for its owner; when that owner has ended meanwhile and nobody else is connected,
     * it is stopped too (a {@code finote dev} that reused the cluster of a finished
     * {@code finote db} command must not leave it orphaned). Safe to call more than once (later
     * calls do nothing).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        removeShutdownHook();
        if (postgres == null) {
            stopIfOrphaned();
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        } finally {
            if (throwAwayDirectory != null) ClusterTemplate.deleteQuietly(throwAwayDirectory);
        }
    }

    /**
     * As {@link #close()}, except that a cluster another client is connected to (a {@code finote dev}
     * that reused it meanwhile) is left running for that client rather than stopped under it.
     *
     * @return true if this object started the cluster and left it running because another client uses it
     */
    public boolean closeUnlessInUse() {
        if (postgres == null || closed.get() || otherClients() == 0) {
            close();
            return false;
        }
        if (!closed.compareAndSet(false, true)) return false;
        removeShutdownHook();
        return true;
    }

    private void stopIfOrphaned() {
        if (reusedDirectory == null || ownerAlive(reusedDirectory) || otherClients() > 0) return;
        try {
            if (runningPostmasterPort(reusedDirectory).isPresent()) stopPostmaster(reusedDirectory, postmasterPid(reusedDirectory));
        } catch (IOException | RuntimeException e) {
            // it stopped meanwhile, or cannot be stopped: the next start finds and reports it
        }
    }

    /**
     * Client connections to the cluster other than the one asking; 0 when that cannot be told.
     * A backend whose client has just disconnected (this command's own last connection) stays
     * in pg_stat_activity until its process has exited, which on a busy machine takes a moment:
     * a count above zero is asked again for up to {@link #OTHER_CLIENTS_SETTLE} before it is
     * believed. A real other client (a {@code finote dev}'s pool) stays connected throughout.
     */
    private long otherClients() {
        return clientsOtherThanMe(url);
    }

    private static long clientsOtherThanMe(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url.withDatabase("postgres"));
             Statement statement = connection.createStatement()) {
            long deadline = System.nanoTime() + OTHER_CLIENTS_SETTLE.toNanos();
            while (true) {
                long others;
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                    others = row.next() ? row.getLong(1) : 0;
                }
                if (others == 0 || System.nanoTime() > deadline) return others;
                Thread.sleep(50);
            }
        } catch (SQLException e) {
            return 0; // cannot ask: stop it as before
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (or ran) and finds the cluster closed
        }
    }

    /** The hook that closes this throw-away cluster when the JVM exits; null for a persistent cluster. */
    Thread shutdownHook() {
        return shutdownHook;
    }
}
