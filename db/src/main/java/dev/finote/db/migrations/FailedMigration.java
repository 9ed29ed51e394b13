package dev.finote.db.migrations;

import dev.finote.db.postgres.DatabaseUrl;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The last migration that failed in this checkout and so was never applied, remembered in
 * {@code .finote/failed-migration.properties} (git ignores {@code .finote/}).
 *
 * <p>A migration that fails in a transaction leaves no trace in the database: Flyway's history
 * only lists it as pending, like one never tried. Without this note, {@code generate} would
 * stack the next migration on a file known to fail, and {@code status} would advise running it
 * again. The note holds the file's SHA-256: once the file is fixed (or deleted), it no longer
 * applies; a successful migrate of that database forgets it.
 */
public record FailedMigration(String database, String version, String script, String sha256, String error, Instant at) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** Remembers {@code failure} of a migration in {@code location} on {@code url} (inside a checkout only). */
    public static void remember(ProjectLayout layout, DatabaseUrl url, String location, MigrationFailedException failure) {
        Optional<Path> file = file(layout);
        if (file.isEmpty()) return;
        Optional<String> sha = sha256(location, failure.script());
        if (sha.isEmpty()) return;
        Properties properties = new Properties();
        properties.setProperty("database", url.describe());
        properties.setProperty("version", failure.version());
        properties.setProperty("script", failure.script());
        properties.setProperty("sha256", sha.get());
        properties.setProperty("error", failure.getMessage());
        properties.setProperty("at", Instant.now().toString());
        try {
            Files.createDirectories(file.get().getParent());
            try (Writer out = Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8)) {
                properties.store(out, "written by finote db migrate: the newest migration that failed here");
            }
        } catch (IOException e) {
            // only a hint for later commands: the failure itself is reported anyway
        }
    }

    /** Forgets the note when it is about {@code url}: a migrate of it succeeded. */
    public static void forget(ProjectLayout layout, DatabaseUrl url) {
        file(layout).ifPresent(file -> {
            Optional<FailedMigration> note = read(file);
            if (note.isPresent() && note.get().database().equals(url.describe())) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a stale note is ignored anyway once the file changed or was applied
                }
            }
        });
    }

    /** The remembered failure, if its migration file in {@code location} is still exactly the one that failed. */
    public static Optional<FailedMigration> find(ProjectLayout layout, String location) {
        return file(layout).flatMap(FailedMigration::read)
                .filter(note -> sha256(location, note.script()).map(note.sha256()::equals).orElse(false));
    }

    /** "V6 (V6__add_color.sql) failed on host:port/db at …: error". */
    public String describe() {
        return "V" + version + " (" + script + ") failed on " + database + " at " + WHEN.format(at) + " and was never applied: " + error;
    }

    private static Optional<Path> file(ProjectLayout layout) {
        return layout.checkout().map(dir -> dir.resolve(".finote").resolve("failed-migration.properties"));
    }

    private static Optional<FailedMigration> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            return Optional.of(new FailedMigration(properties.getProperty("database", ""), properties.getProperty("version", ""),
                    properties.getProperty("script", ""), properties.getProperty("sha256", ""), properties.getProperty("error", ""),
                    Instant.parse(properties.getProperty("at", Instant.EPOCH.toString()))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged note is no note
        }
    }

    private static Optional<String> sha256(String location, String script) {
        try {
            String sql = Migrator.readScript(location, script);
            return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8))));
        } catch (UncheckedIOException | dev.finote.db.DatabaseException e) {
            return Optional.empty(); // the file is gone: the note no longer applies
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
