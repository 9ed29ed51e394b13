package dev.finote.db.cli;

import dev.finote.db.MigrationReport;
import dev.finote.db.migrations.MigrationOutcome;
import dev.finote.db.migrations.SchemaMigrator;
import dev.finote.db.backup.BackupBeforeLoss;
import dev.finote.db.backup.BackupLocation;
import dev.finote.db.backup.LifecycleException;
import dev.finote.db.backup.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
                "Apply the pending migrations to the database, in order, under a lock.",
                "Safe to run from several deploys at once: each version is applied exactly once. A migration",
                "that fails is rolled back, leaving the database as it was; one of CONCURRENTLY statements,",
                "which PostgreSQL runs outside a transaction, is cleaned up so that it can simply run again.",
                "Adopts a database that has tables but no migration history (made by `finote db push`, or by",
                "the old Node backend) when its schema is exactly that of some migration version: it is",
                "baselined at that version, then migrated forward. Otherwise it is refused, with the",
                "differences listed.",
                "Before applying a migration that can lose data (DROP TABLE/COLUMN/SCHEMA, TRUNCATE, DELETE,",
                "a column type change, or a `-- hazard: deletes-data` line) it takes a backup and says",
                "where it is and how to restore it (--no-backup to skip)."})
final class MigrateCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Mixin
    MigrationsOption migrations;

    @Option(names = "--adopt-existing", description = "With NODE_ENV=production: when the database already has exactly the "
            + "schema of a pending version (changed outside the migrations), record the versions up to it as applied "
            + "without running them.")
    boolean adoptExisting;

    @Option(names = "--no-backup", description = "Do not take a backup before a migration that can lose data.")
    boolean noBackup;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where that backup goes (default: .finote/backups/ in a checkout, else the working directory).")
    Path backupDirectory;

    MigrateCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = migrations.location(context.layout());
        try (TargetOptions.Target db = target.openSession(context, "migrate")) {
            MigrationOutcome outcome = new SchemaMigrator(db.url(), location, context.environment(), adoptExisting)
                    .migrate(migrator -> { if (!noBackup) backupBeforeLoss().protect(db.url(), migrator); });
            outcome.notes().forEach(context.out()::println);
            MigrationReport report = outcome.report();
            if (report.applied().isEmpty()) {
                context.out().println("Database " + db.url().describe() + " is up to date (schema version "
                        + (report.schemaVersion() == null ? "none: there are no migrations" : report.schemaVersion()) + ").");
            } else {
                context.out().println("Applied " + report.applied().size() + " migration(s) to " + db.url().describe()
                        + ": " + String.join(", ", report.applied().stream().map(v -> "V" + v).toList())
                        + ". Schema version is now " + report.schemaVersion() + ".");
            }
            return 0;
        } catch (LifecycleException e) {
            throw new CommandFailure(e.getMessage(), e.next());
        }
    }

    private BackupBeforeLoss backupBeforeLoss() {
        Path directory = backupDirectory != null ? backupDirectory : BackupLocation.defaultDirectory(context.layout());
        return new BackupBeforeLoss(directory, context.out(), TerminalProgress.forConsole(context.err()));
    }
}
