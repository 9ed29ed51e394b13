package dev.finote.db.cli;

import dev.finote.db.backup.Backup;
import dev.finote.db.backup.BackupLocation;
import dev.finote.db.backup.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {
                "Back up the database to one compressed, checksummed file, while it keeps serving.",
                "The backup is one consistent snapshot (a single REPEATABLE READ, READ ONLY transaction),",
                "streamed table by table with COPY, and records the schema version it was taken at.",
                "It holds every table of every schema the schema manages (public and the others schema.sql",
                "declares; tables outside public are named schema.table) except the migration history, which",
                "`finote db restore` rebuilds by migrating. Shows progress when run at a terminal."},
        footer = {"", "Without FILE the backup goes to .finote/backups/ in a checkout, else the working directory,",
                "named <database>-<UTC time>.finote-backup."})
final class BackupCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Where to write the backup (must not exist yet).")
    Path file;

    BackupCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (TargetOptions.Target db = target.openSession(context, "backup")) {
            Path destination = file != null ? file
                    : BackupLocation.defaultFile(BackupLocation.defaultDirectory(context.layout()), db.url().database(), Instant.now());
            Backup.Result result = Backup.take(db.url(), destination, TerminalProgress.forConsole(context.err()));
            context.out().printf(Locale.ROOT, "Backed up %s (schema version %s) to %s%n", db.url().describe(), result.schemaVersion(), result.file());
            result.rowCounts().forEach((table, rows) -> context.out().printf(Locale.ROOT, "  %-28s %,12d rows%n", table, rows));
            context.out().printf(Locale.ROOT, "%,d rows, %,d bytes (%,d uncompressed), in %.1f s. SHA-256 %s%n", result.totalRows(),
                    result.fileBytes(), result.rawBytes(), result.elapsed().toMillis() / 1000.0, result.sha256());
            context.out().println("Restore it into an empty database with: finote db restore " + result.file());
            return 0;
        }
    }
}
