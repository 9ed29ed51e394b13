package dev.finote.db.migrations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the schema, the migrations and the development database live.
 *
 * <p>Inside a checkout of this project (found from {@code FINOTE_PROJECT_DIR}, which the
 * {@code ./finote} launcher sets, or by walking up from the working directory) commands use
 * the checkout's own files, so a migration written a minute ago is seen without a rebuild.
 * Outside one (the packaged jar in a container) they use the migrations inside the jar.
 */
public record ProjectLayout(Optional<Path> checkout, Path workingDirectory, Optional<Path> dataDirectoryOverride) {

    static final Path RESOURCES = Path.of("server", "src", "main", "resources", "db");
    public static final String CLASSPATH_MIGRATIONS = "classpath:db/migration";
    /** The schema file inside the packaged jar. */
    public static final String CLASSPATH_SCHEMA = "db/schema.sql";

    public static ProjectLayout detect(Map<String, String> environment, Path workingDirectory) {
        Optional<Path> dataDirectory = Optional.ofNullable(environment.get("FINOTE_DATA_DIR"))
                .filter(value -> !value.isBlank()).map(value -> Path.of(value).toAbsolutePath().normalize());
        String configured = environment.get("FINOTE_PROJECT_DIR");
        if (configured != null && !configured.isBlank() && isCheckout(Path.of(configured))) {
            return new ProjectLayout(Optional.of(Path.of(configured).toAbsolutePath().normalize()), workingDirectory, dataDirectory);
        }
        for (Path dir = workingDirectory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isCheckout(dir)) return new ProjectLayout(Optional.of(dir), workingDirectory, dataDirectory);
        }
        return new ProjectLayout(Optional.empty(), workingDirectory, dataDirectory);
    }

    private static boolean isCheckout(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve(RESOURCES).resolve("migration"));
    }

    /** The Flyway location of the migrations: the checkout's folder, else the jar's. */
    public String migrationsLocation() {
        return checkout.map(dir -> "filesystem:" + dir.resolve(RESOURCES).resolve("migration")).orElse(CLASSPATH_MIGRATIONS);
    }

    /** The checkout's migrations folder (absent outside a checkout). */
    public Optional<Path> migrationsDirectory() {
        return checkout.map(dir -> dir.resolve(RESOURCES).resolve("migration"));
    }

    /** The checkout's schema file, the source of truth (absent outside a checkout). */
    public Optional<Path> schemaFile() {
        return checkout.map(dir -> dir.resolve(RESOURCES).resolve("schema.sql"));
    }

    /**
     * Where the zero-setup development database keeps its data: {@code FINOTE_DATA_DIR} if
     * set (benchmarks and experiments use a throw-away one), else {@code .finote/pgdata}
     * under the project.
     */
    public Path developmentDataDirectory() {
        if (dataDirectoryOverride.isPresent()) return dataDirectoryOverride.get();
        return checkout.orElse(workingDirectory.toAbsolutePath()).resolve(".finote").resolve("pgdata");
    }
}
