package dev.finote.db.cli;

import dev.finote.db.migrations.MigrationFailedException;
import dev.finote.db.migrations.MigrationReport;
import dev.finote.db.migrations.FailedMigration;
import dev.finote.db.migrations.MigrationOutcome;
import dev.finote.db.migrations.SchemaMigrator;
import dev.finote.db.backup.BackupBeforeLoss;
import dev.finote.db.backup.BackupLocation;
import dev.finote.db.backup.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.finote.db.migrations.PendingMigration;
import dev.finote.db.migrations.PreDeploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
                "Apply the pending migrations to the database, in order, under a lock.",
                "Safe to run from several deploys at once: each version is applied exactly once. A run that",
                "finds another one (migrate, dev, reset, restore) changing the database waits for it, says which",
                "session it waits for, and gives up after --lock-wait (default 15m). A migration",
                "that fails is rolled back, leaving the database as it was; one of CONCURRENTLY statements,",
                "which PostgreSQL runs outside a transaction, is cleaned up so that it can simply run again.",
                "Adopts a database that has tables but no migration history (made by `finote db push`, or by",
                "the old Node backend) when its schema is exactly that of some migration version: it is",
                "baselined at that version, then migrated forward. Otherwise it is refused, with the",
                "differences listed.",
                "Before applying a migration that can lose data (DROP TABLE/COLUMN/SCHEMA, TRUNCATE, DELETE,",
                "a column type change, or a `-- hazard: deletes-data` line) it takes a backup and says",
                "where it is and how to restore it (--no-backup to skip); a column or table already gone from the",
                "database loses nothing and takes no backup.",
                "A statement that gives up on its lock_timeout (a busy table) is retried 3 times, after 0.5, 1 and 2 s,",
                "then fails naming the session that holds the lock.",
"Rolling deploys: --pre-deploy applies the pending migrations up to, not including, the first",
                "post-deploy one (marked `-- finote: phase=post-deploy`); run it before the new release starts,",
                "and plain migrate, which applies everything, once it has rolled out.",
                "Preflight: before changing anything it checks, read-only, that the live rows meet each pending",
                "statement's preconditions (no duplicates under a new unique key or index, no NULLs under SET NOT",
                "NULL, no rows under a NOT NULL column without a default, no orphans under a foreign key, no rows",
                "violating a check, values that convert to a new type or enum); when one fails nothing is applied",
                "and it names the migration, the statement, the rows and up to five of their keys.",
                "--dry-run prints the pending files, their phase, hazards, the rows of each changed table and the",
                "preflight's results, and changes nothing."})
final class MigrateCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Mixin
    MigrationsOption migrations;

    @Mixin
    LockWaitOption lockWait;

    @Option(names = "--adopt-existing", description = "With NODE_ENV=production: when the database already has exactly the "
            + "schema of a pending version (changed outside the migrations), record the versions up to it as applied "
            + "without running them.")
    boolean adoptExisting;

    @Option(names = "--no-backup", description = "Do not take a backup before a migration that can lose data.")
    boolean noBackup;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where that backup goes (default: .finote/backups/ in a checkout, else the working directory).")
    Path backupDirectory;

    @Option(names = "--pre-deploy", description = "Apply only the pending migrations before the first post-deploy one "
            + "(the part the release still serving survives); run plain migrate after the rollout.")
    boolean preDeploy;

    @Option(names = "--dry-run", description = "Print what would be applied (files, phase, hazards, rows, preflight) and change nothing.")
    boolean dryRun;

    @Option(names = "--no-preflight", description = "Skip the read-only check of the live data before applying.")
    boolean noPreflight;

    MigrateCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = migrations.location(context.layout());
        try (TargetOptions.Target db = target.openSession(context, "migrate")) {
            if (dryRun) {
                List<PendingMigration> pending = new dev.finote.db.migrations.Migrator(db.url(), location).pending();
                new MigrationPreview(context.out()).dryRun(db.url(), pending, PreDeploy.select(pending, preDeploy));
                return 0;
            }
            List<PendingMigration> held = new ArrayList<>();
            MigrationOutcome outcome;
            try {
                outcome = new SchemaMigrator(db.url(), location, context.environment(), adoptExisting)
                        .waiting(lockWait.as("finote db migrate", context))
                        .preDeployOnly(preDeploy)
                        .migrate(migrator -> {
                            held.clear(); // called again after catching up a pushed schema
                            List<PendingMigration> pending = migrator.pending();
                            List<PendingMigration> toApply = PreDeploy.select(pending, preDeploy);
                            held.addAll(pending.subList(toApply.size(), pending.size()));
                            if (!noPreflight) new MigrationPreview(context.out()).preflight(db.url(), toApply);
                            if (!noBackup) backupBeforeLoss().protect(db.url(), toApply);
                        });
            } catch (MigrationFailedException failed) {
                // So that generate and status know the newest file fails (a rolled-back failure leaves no trace in the history).
                FailedMigration.remember(context.layout(), db.url(), location, failed);
                throw failed;
            }
            FailedMigration.forget(context.layout(), db.url());
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
            if (!held.isEmpty()) {
                context.out().println("Held back until the new release has rolled out (post-deploy from V" + held.getFirst().version() + "): "
                        + String.join(", ", held.stream().map(m -> m.script()).toList()) + ". Then run: finote db migrate");
            }
            return 0;
        }
    }

    private BackupBeforeLoss backupBeforeLoss() {
        Path directory = backupDirectory != null ? backupDirectory : BackupLocation.defaultDirectory(context.layout());
        return new BackupBeforeLoss(directory, context.out(), TerminalProgress.forConsole(context.err()));
    }
}
