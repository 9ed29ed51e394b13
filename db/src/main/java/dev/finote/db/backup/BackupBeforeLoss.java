package dev.finote.db.backup;

import dev.finote.db.migrations.DataLossScan;
import dev.finote.db.migrations.SchemaVersion;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.PendingMigration;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return protect(url, migrator.pending());
    }

    /** Takes the backup if one of {@code toApply} can lose data; returns its file. */
    public Optional<Backup.Result> protect(DatabaseUrl url, List<PendingMigration> toApply) {
        Map<PendingMigration, List<DataLossScan.Finding>> hazards = new LinkedHashMap<>();
        for (PendingMigration migration : toApply) {
            List<DataLossScan.Finding> findings = DataLossScan.scan(migration.sql());
            if (!findings.isEmpty()) hazards.put(migration, findings);
        }
        if (hazards.isEmpty()) return Optional.empty();
        State state = state(url);
        // A new, empty database: every migration runs on no data, nothing to say.
        if (state == State.EMPTY) return Optional.empty();
        // What the database holds decides: a column or table already gone (dropped by a push), or a table without rows, has nothing to lose.
        hazards = stillLosing(url, hazards);
        if (hazards.isEmpty()) return Optional.empty();
        hazards.forEach((migration, findings) -> {
            out.println("V" + migration.version() + " (" + migration.script() + ") can lose data:");
            findings.forEach(finding -> out.println("  " + finding));
        });
        if (state == State.NO_HISTORY) {
            out.println("No backup taken: database " + url.describe() + " has tables but no migration history, so there is "
                    + "no schema version to back up; take a copy with pg_dump first if its rows matter.");
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

    private static Map<PendingMigration, List<DataLossScan.Finding>> stillLosing(DatabaseUrl url, Map<PendingMigration, List<DataLossScan.Finding>> hazards) {
        Map<PendingMigration, List<DataLossScan.Finding>> losing = new LinkedHashMap<>();
        try (Connection connection = Jdbc.connect(url)) {
            for (var entry : hazards.entrySet()) {
                List<DataLossScan.Finding> findings = new java.util.ArrayList<>();
                for (DataLossScan.Finding finding : entry.getValue()) {
                    if (DataLossScan.stillLoses(connection, finding)) findings.add(finding);
                }
                if (!findings.isEmpty()) losing.put(entry.getKey(), findings);
            }
            return losing;
        } catch (SQLException e) {
            throw new DatabaseException("could not read the schema of " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    private enum State { EMPTY, NO_HISTORY, MIGRATED }

    private static State state(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url)) {
            if (SchemaVersion.of(connection).isPresent()) return State.MIGRATED;
            try (Statement statement = connection.createStatement();
                 ResultSet tables = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         + "WHERE" + ManagedTables.managed("n") + "AND c.relkind IN ('r', 'p'))")) {
                tables.next();
                return tables.getBoolean(1) ? State.NO_HISTORY : State.EMPTY;
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not read the migration history of " + url.describe() + ": " + e.getMessage(), e);
        }
    }
}
