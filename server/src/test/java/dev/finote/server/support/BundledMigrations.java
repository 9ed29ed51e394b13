package dev.finote.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The migrations this build bundles, read from their folder, so that tests follow each new
 * migration instead of naming a fixed list of versions.
 */
public final class BundledMigrations {

    private static final Path FOLDER = Path.of("src/main/resources/db/migration");

    private BundledMigrations() {
    }

    /** The migration files, oldest first. */
    public static List<Path> files() {
        try (var files = Files.list(FOLDER)) {
            return files.filter(file -> file.getFileName().toString().matches("V[0-9]+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(BundledMigrations::version)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Their versions, oldest first ("1", "2", …). */
    public static List<String> versions() {
        return files().stream().map(file -> String.valueOf(version(file))).toList();
    }

    /** The newest version. */
    public static String latest() {
        return versions().getLast();
    }

    /** "V5, V6, V7": the versions from {@code first} on, as migrate lists them. */
    public static String listedFrom(int first) {
        return String.join(", ", versions().stream().filter(v -> Integer.parseInt(v) >= first).map(v -> "V" + v).toList());
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
