package dev.finote.db.cli;

import dev.finote.db.MigrationReport;
import dev.finote.db.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
                "Apply the pending migrations to the database, in order, under Flyway's lock.",
                "Safe to run from several deploys at once: each version is applied exactly once."})
final class MigrateCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    MigrateCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = target.migrationsLocation(context.layout());
        try (TargetOptions.Target db = target.open(context)) {
            MigrationReport report = new Migrator(db.url(), location).migrate();
            if (report.applied().isEmpty()) {
                context.out().println("Database " + db.url().describe() + " is up to date (schema version "
                        + (report.schemaVersion() == null ? "none: there are no migrations" : report.schemaVersion()) + ").");
            } else {
                context.out().println("Applied " + report.applied().size() + " migration(s) to " + db.url().describe()
                        + ": " + String.join(", ", report.applied().stream().map(v -> "V" + v).toList())
                        + ". Schema version is now " + report.schemaVersion() + ".");
            }
            return 0;
        }
    }
}
