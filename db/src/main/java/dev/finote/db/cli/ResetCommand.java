package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.migrations.MigrationLock;
import dev.finote.db.migrations.MigrationReport;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.backup.DatabaseInventory;
import dev.finote.db.backup.DatabaseWipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {
                "Drop everything Finote manages and migrate from zero. ALL DATA IS LOST.",
                "Drops every table (with its rows), sequence, view, function and type of the public schema,",
                "every other schema the schema manages with everything in it, the migration history, and an",
                "adopted database's old `drizzle` schema; the public schema itself and its privileges stay.",
                "Lists what it will destroy first (schemas by name), and does nothing unless",
                "--confirm names the database. Take a backup first if in doubt: finote db backup"})
final class ResetCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Mixin
    MigrationsOption migrations;

    @Mixin
    LockWaitOption lockWait;

    @Option(names = "--confirm", paramLabel = "DATABASE", description = "The name of the database to reset, to confirm.")
    String confirm;

    ResetCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = migrations.location(context.layout());
        try (TargetOptions.Target db = target.openSession(context, "reset")) {
            String name = db.url().database();
            DatabaseInventory inventory = DatabaseInventory.of(db.url());
            context.out().println("Resetting database " + db.url().describe() + " destroys:");
            inventory.print(context.out());
            if (confirm == null) {
                throw new ActionableException("refusing to reset without confirmation; nothing was changed",
                        "if every row above may go, run: finote db reset --confirm " + name);
            }
            if (!confirm.equals(name)) {
                throw new ActionableException("--confirm names '" + confirm + "' but the database is '" + name + "'; nothing was changed",
                        "check DATABASE_URL (or --url); to reset this database run: finote db reset --confirm " + name);
            }
            // Under the migration lock, so that a migrate, restore or another reset never runs half-way through this one.
            try (MigrationLock lock = lockWait.acquire("finote db reset", db.url(), context)) {
                DatabaseWipe.wipe(db.url());
                context.out().printf("Dropped everything above (%,d rows).%n", inventory.totalRows());
                MigrationReport report = new Migrator(db.url(), location).migrate();
                context.out().println("Migrated from zero: " + (report.applied().isEmpty() ? "no migrations"
                        : "applied " + String.join(", ", report.applied().stream().map(v -> "V" + v).toList()))
                        + ". Database " + name + " is empty at schema version " + report.schemaVersion() + ".");
            }
            return 0;
        }
    }
}
