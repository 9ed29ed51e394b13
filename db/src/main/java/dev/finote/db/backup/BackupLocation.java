package dev.finote.db.backup;

import dev.finote.db.migrations.ProjectLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where backups go when no file is named: {@code .finote/backups/} in a checkout, else the working directory. */
public final class BackupLocation {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private BackupLocation() {
    }

    public static Path defaultDirectory(ProjectLayout layout) {
        return layout.checkout().map(dir -> dir.resolve(".finote").resolve("backups"))
                .orElse(layout.workingDirectory().toAbsolutePath().normalize());
    }

    /**
     * {@code <database>-<UTC time>.finote-backup}, e.g. {@code finote-20261124T231500Z.finote-backup};
     * {@code …-2.finote-backup} and so on when a backup of the same second exists.
     */
    public static Path defaultFile(Path directory, String database, Instant now) {
        String base = database.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + STAMP.format(now);
        Path file = directory.resolve(base + BackupFormat.SUFFIX);
        for (int n = 2; Files.exists(file) || Files.exists(file.resolveSibling(file.getFileName() + ".partial")); n++) {
            file = directory.resolve(base + "-" + n + BackupFormat.SUFFIX);
        }
        return file;
    }
}
