package dev.finote.db.cli;

import dev.finote.db.migrations.MigrationLock;
import dev.finote.db.backup.Restore;
import dev.finote.db.backup.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {
                "Restore a backup made by `finote db backup` into an empty database.",
                "First reads the whole file and checks its checksum: a damaged or truncated backup is",
                "refused before the database is touched. Then applies the migrations up to the backup's",
                "schema version, loads the rows in one transaction, each table into its own schema, sets",
                "every serial/identity sequence (in every schema) after the restored ids, and migrates to",
                "this build's schema. Backups made before backups covered schemas besides public restore too.",
                "If loading fails, what the restore created is dropped again: the database is left empty."})
final class RestoreCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Mixin
    MigrationsOption migrations;

    @Mixin
    LockWaitOption lockWait;

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Option(names = "--overwrite", paramLabel = "DATABASE",
            description = "Replace what a non-empty database holds: give its name to confirm. Everything Finote manages in it is dropped first.")
    String overwrite;

    @Option(names = "--keep-version",
            description = "Stay at the backup's schema version instead of migrating to this build's (to undo a migration).")
    boolean keepVersion;

    RestoreCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = migrations.location(context.layout());
        try (TargetOptions.Target db = target.openSession(context, "restore")) {
            Restore.Result result;
            // Under the migration lock: the emptiness check, the load and the migrations see no other run's changes.
            try (MigrationLock lock = lockWait.acquire("finote db restore", db.url(), context)) {
                result = new Restore(db.url(), location, context.out(), TerminalProgress.forConsole(context.err()))
                        .run(file, overwrite, keepVersion);
            }
            long rows = result.loaded().values().stream().mapToLong(Long::longValue).sum();
            context.out().printf(Locale.ROOT, "Restored %,d rows into %s:%n", rows, db.url().describe());
            result.loaded().forEach((table, count) -> context.out().printf(Locale.ROOT, "  %-28s %,12d rows%n", table, count));
            context.out().println("Sequences continue after the restored ids. Schema version is now " + result.schemaVersion() + ".");
            return 0;
        }
    }
}
