package dev.finote.db.backup;

import dev.finote.db.DatabaseException;
import dev.finote.db.DatabaseUrl;
import dev.finote.db.Jdbc;
import dev.finote.db.Migrator;
import dev.finote.db.PendingMigration;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * "Back up before a big migration", enforced: before {@code migrate} applies a pending
 * migration that can lose data ({@link DataLossScan}), takes a backup, says where it is
 * and how to restore it. A database with no migration history yet has nothing a migration
 * could lose that Finote put there, so it is not backed up.
 */
public final class BackupBeforeLoss {

    private final Path directory;
    private final PrintWriter out;
    private final Progress progress;

    public BackupBeforeLoss(Path directory, PrintWriter out, Progress progress) {
        this.directory = directory;
        this.out = out;
        this.progress = progress;
    }

    /** Takes the backup if a pending migration can lose data; returns its file. */
    public Optional<Backup.Result> protect(DatabaseUrl url, Migrator migrator) {
        List<PendingMigration> pending = migrator.pending();
        boolean hazardous = false;
        for (PendingMigration migration : pending) {
            List<DataLossScan.Finding> findings = DataLossScan.scan(migration.sql());
            if (findings.isEmpty()) continue;
            hazardous = true;
            out.println("V" + migration.version() + " (" + migration.script() + ") can lose data:");
            findings.forEach(finding -> out.println("  " + finding));
        }
        if (!hazardous) return Optional.empty();
        if (!hasHistory(url)) {
            out.println("No backup taken: database " + url.describe() + " has no migration history yet.");
            out.flush();
            return Optional.empty();
        }
        Path file = BackupLocation.defaultFile(directory, url.database(), Instant.now());
        out.println("Backing up " + url.describe() + " first, to " + file);
        out.flush();
        Backup.Result backup = Backup.take(url, file, progress);
        out.printf("Backup taken: %,d rows in %d tables, %s, schema version %s.%n", backup.totalRows(), backup.rowCounts().size(),
                Sizes.human(backup.fileBytes()), backup.schemaVersion());
        out.println("To get the data back as it is now (same DATABASE_URL or --url), run:");
        out.println("  finote db restore --overwrite " + url.database() + " --keep-version " + file);
        out.println("(--no-backup skips this backup.)");
        out.flush();
        return Optional.of(backup);
    }

    private static boolean hasHistory(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url)) {
            return SchemaVersion.of(connection).isPresent();
        } catch (SQLException e) {
            throw new DatabaseException("could not read the migration history of " + url.describe() + ": " + e.getMessage(), e);
        }
    }
}
