package dev.finote.server.cli;

import dev.finote.db.DatabaseException;
import dev.finote.db.DatabaseUrl;
import dev.finote.db.EmbeddedDatabase;
import dev.finote.db.MigrationReport;
import dev.finote.db.ProjectLayout;
import dev.finote.db.backup.BackupBeforeLoss;
import dev.finote.db.backup.BackupLocation;
import dev.finote.db.backup.TerminalProgress;
import dev.finote.db.migrations.MigrationOutcome;
import dev.finote.db.migrations.SchemaMigrator;
import dev.finote.server.config.FinoteSettings;
import dev.finote.server.config.SettingsException;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {
                "Run Finote for development, with zero setup.",
                "Uses DATABASE_URL, or else starts an embedded PostgreSQL whose data lives in",
                ".finote/pgdata under the project (or FINOTE_DATA_DIR) and survives restarts;",
                "applies pending migrations; serves on PORT (default 3000)."})
public final class DevCommand implements Callable<Integer> {

    private final Map<String, String> environment;
    private final ProjectLayout layout;
    private final PrintWriter err;

    public DevCommand(Map<String, String> environment, ProjectLayout layout, PrintWriter err) {
        this.environment = environment;
        this.layout = layout;
        this.err = err;
    }

    @Override
    public Integer call() {
        FinoteSettings settings;
        try {
            settings = FinoteSettings.fromEnvironment(environment);
        } catch (SettingsException e) {
            return ServerRun.refuse(err, e.problems());
        }
        if (settings.production()) {
            return ServerRun.refuse(err, List.of("NODE_ENV=production: never run production in development mode; use `finote serve`"));
        }
        if (!ServerRun.portAvailable(settings.port())) return ServerRun.portInUse(err, settings.port(), "dev");
        EmbeddedDatabase embedded = null;
        try {
            DatabaseUrl database;
            if (settings.databaseUrl().isPresent()) {
                database = settings.databaseUrl().get();
            } else {
                err.println("Starting the embedded PostgreSQL (data in " + layout.developmentDataDirectory() + ")…");
                embedded = EmbeddedDatabase.persistent(layout.developmentDataDirectory(), err::println);
                database = embedded.url();
            }
            // As `finote db migrate`: a backup first when a pending migration can lose data.
            BackupBeforeLoss backup = new BackupBeforeLoss(BackupLocation.defaultDirectory(layout), err, TerminalProgress.forConsole(err));
            DatabaseUrl target = database;
            MigrationOutcome outcome = new SchemaMigrator(database, layout.migrationsLocation(), environment)
                    .migrate(migrator -> backup.protect(target, migrator));
            outcome.notes().forEach(err::println);
            MigrationReport report = outcome.report();
            err.println(report.applied().isEmpty()
                    ? "Database " + database.describe() + " is at schema version " + report.schemaVersion() + "."
                    : "Applied migrations " + report.applied() + " to " + database.describe() + "; schema version " + report.schemaVersion() + ".");
            EmbeddedDatabase toStop = embedded;
            var context = ServerRun.startContext(settings, database, true, err, () -> {
                if (toStop != null) toStop.close();
            });
            if (context == null) return 1;
            String port = context.getEnvironment().getProperty("local.server.port", Integer.toString(settings.port()));
            err.println("Finote is running on http://localhost:" + port + " (Ctrl-C to stop).");
            return 0;
        } catch (DatabaseException | java.io.UncheckedIOException e) {
            if (embedded != null) embedded.close();
            err.println("error: " + e.getMessage());
            err.println("next:  check DATABASE_URL (or remove it to use the embedded database) and try again");
            return 1;
        }
    }
}
