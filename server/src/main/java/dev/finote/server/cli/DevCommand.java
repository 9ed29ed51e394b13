package dev.finote.server.cli;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.MigrationLock;
import dev.finote.db.postgres.InvalidDatabaseUrlException;
import dev.finote.db.migrations.MigrationReport;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.db.postgres.SessionCheck;
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
                "applies pending migrations; serves on PORT (default 3000).",
                "While another run (migrate, reset, restore, dev) changes the database, waits for it up to",
                "FINOTE_LOCK_WAIT (default 15m), saying which session it waits for."})
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
            // Migrations need a session of their own: DIRECT_DATABASE_URL when DATABASE_URL leads through a pooler.
            DatabaseUrl target = database;
            if (embedded == null) {
                String direct = environment.get("DIRECT_DATABASE_URL");
                if (direct != null && !direct.isBlank()) target = DatabaseUrl.parse("DIRECT_DATABASE_URL", direct);
                SessionCheck.Result check = SessionCheck.check(target);
                if (check.sessionsShared()) {
                    err.println("error: " + (target == database ? "DATABASE_URL" : "DIRECT_DATABASE_URL") + " (" + target.describe()
                            + ") leads to a transaction pooler: " + check.evidence() + "; applying migrations needs a session of its own");
                    err.println("next:  set DIRECT_DATABASE_URL to the database itself (not the pooler), e.g. postgresql://user:password@db-host:5432/finote, and try again");
                    return 1;
                }
            }
            MigrationOutcome outcome = migrate(target);
            outcome.notes().forEach(err::println);
            MigrationReport report = outcome.report();
            err.println(report.applied().isEmpty()
                    ? "Database " + target.describe() + " is at schema version " + report.schemaVersion() + "."
                    : "Applied migrations " + report.applied() + " to " + target.describe() + "; schema version " + report.schemaVersion() + ".");
            EmbeddedDatabase toStop = embedded;
            var context = ServerRun.startContext(settings, database, true, err, () -> {
                if (toStop != null) toStop.close();
            });
            if (context == null) return 1;
            String port = context.getEnvironment().getProperty("local.server.port", Integer.toString(settings.port()));
            err.println("Finote is running on http://localhost:" + port + " (Ctrl-C to stop).");
            return 0;
        } catch (InvalidDatabaseUrlException e) {
            err.println("error: " + e.getMessage());
            err.println("next:  set DIRECT_DATABASE_URL to postgresql://user:password@db-host:5432/finote (the database itself, not a pooler)");
            return 1;
        } catch (DatabaseException | java.io.UncheckedIOException e) {
            if (embedded != null) embedded.close();
            err.println("error: " + e.getMessage());
            err.println("next:  " + (e instanceof DatabaseException database && database.next() != null ? database.next()
                    : "check DATABASE_URL (or remove it to use the embedded database) and try again"));
            return 1;
        }
    }

    /**
     * Dev's migration path, as `finote db migrate`: under the migration lock (waiting, as long as
     * FINOTE_LOCK_WAIT says, while another run changes the database), a backup first when a
     * pending migration can lose data.
     */
    MigrationOutcome migrate(DatabaseUrl database) {
        BackupBeforeLoss backup = new BackupBeforeLoss(BackupLocation.defaultDirectory(layout), err, TerminalProgress.forConsole(err));
        return new SchemaMigrator(database, layout.migrationsLocation(), environment)
                .waiting(new SchemaMigrator.LockWait("finote dev", MigrationLock.waitFrom(null, environment), line -> {
                    err.println(line);
                    err.flush();
                }))
                .migrate(migrator -> backup.protect(database, migrator));
    }
}
