package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.migrations.ProjectLayout;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --migrations DIR}: which migrations a command reads (or, for generate, writes). */
public final class MigrationsOption {

    @Option(names = "--migrations", paramLabel = "DIR",
            description = "Folder of V<n>__<name>.sql migrations (default: the project's own; an empty folder is allowed).")
    Path migrations;

    /** The Flyway location of the migrations to use: --migrations, else the checkout's folder, else the jar's. */
    String location(ProjectLayout layout) {
        if (migrations == null) return layout.migrationsLocation();
        return "filesystem:" + existingDirectory();
    }

    /** The folder to write a new migration into: --migrations, else the checkout's folder. */
    Path writableDirectory(ProjectLayout layout) {
        if (migrations != null) return existingDirectory();
        return layout.migrationsDirectory().orElseThrow(() -> new ActionableException(
                "there is no migrations folder to write to: this is not a checkout of the project",
                "run it inside a checkout, or pass --migrations DIR (and --schema FILE)"));
    }

    private Path existingDirectory() {
        if (!Files.isDirectory(migrations)) {
            throw new ActionableException("the migrations folder " + migrations + " does not exist",
                    "create it (mkdir -p " + migrations + "), or leave out --migrations to use the project's own");
        }
        return migrations.toAbsolutePath().normalize();
    }
}
