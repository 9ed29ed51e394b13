package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real PgBouncer (Debian's package, {@code /usr/sbin/pgbouncer}) in front of a test
 * PostgreSQL: its configuration and user list are written to a temporary directory, it listens
 * on a free port of 127.0.0.1, and {@link #close()} stops it and removes the directory.
 *
 * <p>Clients authenticate to it with SCRAM against the user list, as in production; it logs in
 * to PostgreSQL with the same credentials. Its pool is smaller than the server's own, so that
 * transactions of one client really move between server connections.
 */
public final class PgBouncer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path directory;
    private final int port;

    private PgBouncer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** A transaction-mode PgBouncer in front of {@code backend}'s host, knowing the users (name → password) given. */
    public static PgBouncer transactionMode(DatabaseUrl backend, Map<String, String> users) {
        return start(backend, users, "transaction", 4);
    }

    public static PgBouncer start(DatabaseUrl backend, Map<String, String> users, String poolMode, int poolSize) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's pgbouncer package (.ci/run does)");
        }
        try {
            Path directory = Files.createTempDirectory("finote-pgbouncer");
            IOException lastFailure = null;
            for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken between choosing and listening
                int port = freePort();
                Process process = launch(directory, backend, users, poolMode, poolSize, port);
                if (awaitListening(process, port)) return new PgBouncer(process, directory, port);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                lastFailure = new IOException("pgbouncer did not listen on port " + port + ": " + log(directory));
            }
            delete(directory);
            throw new UncheckedIOException(lastFailure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process launch(Path directory, DatabaseUrl backend, Map<String, String> users, String poolMode, int poolSize, int port)
            throws IOException {
        Path userlist = directory.resolve("userlist.txt");
        Files.writeString(userlist, users.entrySet().stream()
                .map(user -> quote(user.getKey()) + " " + quote(user.getValue()))
                .collect(Collectors.joining("\n", "", "\n")));
        Path ini = directory.resolve("pgbouncer.ini");
        Files.writeString(ini, String.join("\n",
                "[databases]",
                "* = host=" + backend.host() + " port=" + backend.port(),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + userlist,
                "pool_mode = " + poolMode,
                "default_pool_size = " + poolSize,
                "max_client_conn = 500",
                // pgjdbc sends it at connect; PgBouncer does not track it, and refuses unknown startup parameters.
                "ignore_startup_parameters = extra_float_digits",
                "logfile = " + directory.resolve("pgbouncer.log"),
                "pidfile =",
                ""));
        List<String> command = new java.util.ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            // PgBouncer refuses to run as root: it drops to nobody, who must read the files.
            command.addAll(List.of("-u", "nobody"));
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(ini, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(userlist, PosixFilePermissions.fromString("rw-r--r--"));
        }
        command.add(ini.toString());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile()).start();
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) return false;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50); // polling for the listener, bounded by the deadline
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** {@code backend} reached through this PgBouncer: same database and credentials, the pooler's address. */
    public DatabaseUrl url(DatabaseUrl backend) {
        return new DatabaseUrl("127.0.0.1", port, backend.database(), backend.user(), backend.password(), backend.query());
    }

    public int port() {
        return port;
    }

    /** What PgBouncer logged (for failure messages). */
    public String log() {
        return log(directory);
    }

    private static String log(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".log")).map(file -> {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    return "";
                }
            }).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(directory);
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
