package dev.finote.db.cli;

import dev.finote.db.MigrationStatus;
import dev.finote.db.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
                "List the migrations applied to the database and those still pending.",
                "Exits 0 when the database is up to date, 3 when migrations are pending, 1 on a problem."})
final class StatusCommand implements Callable<Integer> {

    static final int EXIT_PENDING = 3;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final DbContext context;

    @Mixin
    TargetOptions target;

    StatusCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = target.migrationsLocation(context.layout());
        try (TargetOptions.Target db = target.open(context)) {
            List<MigrationStatus> migrations = new Migrator(db.url(), location).status();
            context.out().println("Database " + db.url().describe());
            if (migrations.isEmpty()) {
                context.out().println("  no migrations, neither in this build nor in the database");
                return 0;
            }
            context.out().printf("  %-8s %-20s %-23s %s%n", "version", "state", "applied", "description");
            for (MigrationStatus m : migrations) {
                context.out().printf("  %-8s %-20s %-23s %s%n", "V" + m.version(), m.state().name().toLowerCase().replace('_', ' '),
                        m.installedOn() == null ? "-" : WHEN.format(m.installedOn()), m.description());
            }
            long pending = migrations.stream().filter(m -> m.state() == MigrationStatus.State.PENDING).count();
            long broken = migrations.stream().filter(m -> m.state() == MigrationStatus.State.FAILED
                    || m.state() == MigrationStatus.State.CHANGED_SINCE_APPLIED || m.state() == MigrationStatus.State.IGNORED).count();
            if (broken > 0) {
                throw new CommandFailure(broken + " migration(s) failed or were skipped",
                        "fix the database or the migration named above, then run: finote db migrate");
            }
            if (pending > 0) {
                context.out().println(pending + " pending migration(s). Next: finote db migrate");
                return EXIT_PENDING;
            }
            context.out().println("Up to date.");
            return 0;
        }
    }
}
