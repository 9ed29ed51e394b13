package dev.finote.db.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads a migration's SQL by its script name from a Flyway location ({@code filesystem:DIR} or {@code classpath:PATH}). */
final class MigrationScripts {

    private MigrationScripts() {
    }

    static Function<String, String> reader(String location) {
        if (location.startsWith("filesystem:")) {
            Path directory = Path.of(location.substring("filesystem:".length()));
            return script -> {
                try {
                    return Files.readString(directory.resolve(script), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the migration " + script + ": " + e.getMessage(), e);
                }
            };
        }
        String prefix = location.substring("classpath:".length());
        return script -> {
            try (InputStream in = MigrationScripts.class.getClassLoader().getResourceAsStream(prefix + "/" + script)) {
                if (in == null) throw new UncheckedIOException(new IOException("the migration " + script + " is not in this build"));
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the migration " + script + ": " + e.getMessage(), e);
            }
        };
    }
}
