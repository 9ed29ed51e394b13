package dev.finote.db.migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A folder of {@code V<n>__<name>.sql} files on disk: the next version number, and writing a new migration. */
public record MigrationFolder(Path directory) {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)(?:[._]\\d+)*__.*\\.sql");

    /** Versions of the files present, as their leading whole number (V3__x.sql, V3_1__y.sql → 3). */
    public List<BigInteger> majorVersions() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> VERSIONED.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(match -> new BigInteger(match.group(1)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the migrations in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The version the next migration gets: one more than the highest present, 1 for an empty folder. */
    public BigInteger nextVersion() {
        List<BigInteger> versions = majorVersions();
        return versions.isEmpty() ? BigInteger.ONE : versions.getLast().add(BigInteger.ONE);
    }

    /**
     * A migration name as Flyway wants it in a file name: lower case, words joined by
     * underscores, only letters, digits and underscores.
     */
    public static String fileSafeName(String name) {
        String safe = name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return safe.isEmpty() ? "schema_change" : safe;
    }

    /** Writes {@code V<version>__<name>.sql}; refuses to overwrite an existing file. */
    public Path write(BigInteger version, String name, String sql) {
        Path file = directory.resolve("V" + version + "__" + name + ".sql");
        try {
            Files.writeString(file, sql, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
