package dev.finote.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A freshly initialised, stopped PostgreSQL cluster kept in the temporary folder, copied for
 * every throw-away cluster so that initdb runs once per machine instead of at every start.
 *
 * <p>It is created under a unique name and moved into place atomically, so processes racing
 * to create it each get a complete copy; its name carries the embedded binaries' version, so
 * another version never starts on it.
 */
final class ClusterTemplate {

    /** Files of a running or crashed postmaster that a copy must not inherit. */
    private static final Set<String> RUNTIME_FILES = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");

    private ClusterTemplate() {
    }

    /** A new temporary directory holding an initialised cluster, ready to start. */
    static Path copyToNewDirectory() {
        try {
            Path template = template();
            Path copy = Files.createTempDirectory("finote-pg-");
            copyTree(template, copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare an embedded PostgreSQL data directory: " + e.getMessage(), e);
        }
    }

    private static Path template() throws IOException {
        Path template = Path.of(System.getProperty("java.io.tmpdir"), "finote-pg-template-2-" + binariesVersion() + "-" + userName());
        if (Files.isRegularFile(template.resolve("PG_VERSION"))) return template;
        Path fresh = Files.createTempDirectory(template.getParent(), template.getFileName() + ".new-");
        try {
            // initdb runs here (an empty directory, no cleaning); Finote's database is created
            // too, so copies need not; then the cluster stops and its files stay.
            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(fresh).setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false).start();
                 java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(EmbeddedDatabase.DATABASE_NAME));
            } catch (java.sql.SQLException e) {
                throw new IOException("could not create the template's database: " + e.getMessage(), e);
            }
            RUNTIME_FILES.forEach(name -> fresh.resolve(name).toFile().delete());
            try {
                Files.move(fresh, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                deleteQuietly(fresh); // another process made it first
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(fresh);
            throw e;
        }
        return template;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                if (RUNTIME_FILES.contains(relative.toString())) continue;
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        // PostgreSQL refuses a data directory that others can read.
        to.toFile().setReadable(false, false);
        to.toFile().setReadable(true, true);
        to.toFile().setExecutable(false, false);
        to.toFile().setExecutable(true, true);
    }

    /** The version of the embedded PostgreSQL binaries, from the jar that ships them. */
    private static String binariesVersion() {
        Package binaries = EmbeddedPostgres.class.getPackage();
        String fromManifest = binaries == null ? null : binaries.getImplementationVersion();
        var resource = EmbeddedPostgres.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        String fromResource = resource == null ? "unknown" : Integer.toHexString(resource.toString().hashCode());
        return (fromManifest == null ? "" : fromManifest + "-") + fromResource;
    }

    private static String userName() {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory)) return;
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover in the temporary folder is harmless
        }
    }
}
