package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.MigrationStatus;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ChangeOrigins;
import dev.finote.db.migrations.FailedMigration;
import dev.finote.db.migrations.MigrationReplay;
import dev.finote.db.migrations.NodeBackendTraces;
import dev.finote.db.migrations.SchemaMatch;
import dev.finote.db.migrations.VersionedCatalog;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.CatalogReader;
import dev.finote.db.schema.ShadowDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import dev.finote.db.migrations.PendingMigration;
import dev.finote.db.migrations.PreDeploy;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
                "Show applied and pending migrations, drift, and whether schema.sql agrees.",
                "Drift is a difference between the database's schema and the one its history says it",
                "should have; schema.sql is compared with what the migrations build (both in a shadow",
                "database; --no-compare skips that).",
                "Pending post-deploy migrations (`-- finote: phase=post-deploy`) show as \"pending post-deploy\".",
                "Exits 0 when all is in order, 3 when migrations are pending, 4 on drift or when schema.sql",
                "and the migrations disagree, 1 on a problem."})
final class StatusCommand implements Callable<Integer> {

    static final int EXIT_PENDING = 3;
    static final int EXIT_DRIFT = 4;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Mixin
    MigrationsOption migrations;

    @Mixin
    SchemaOption schema;

    @Option(names = "--no-compare", description = "Only list the migrations: no shadow database, no drift or schema.sql check.")
    boolean noCompare;

    StatusCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = migrations.location(context.layout());
        try (TargetOptions.Target db = target.open(context)) {
            Migrator migrator = new Migrator(db.url(), location);
            List<MigrationStatus> list = migrator.status();
            Set<String> postDeploy = list.stream().anyMatch(m -> m.state() == MigrationStatus.State.PENDING)
                    ? migrator.pending().stream().filter(PreDeploy::isPostDeploy).map(PendingMigration::version).collect(Collectors.toSet())
                    : Set.of();
            context.out().println("Database " + db.url().describe());
            printMigrations(list, postDeploy);
            long broken = list.stream().filter(m -> m.state() == MigrationStatus.State.FAILED
                    || m.state() == MigrationStatus.State.CHANGED_SINCE_APPLIED || m.state() == MigrationStatus.State.IGNORED).count();
            if (broken > 0) {
                throw new ActionableException(broken + " migration(s) failed or were skipped",
                        "fix the database or the migration named above, then run: finote db migrate");
            }
            Optional<FailedMigration> failed = FailedMigration.find(context.layout(), location)
                    .filter(note -> note.database().equals(db.url().describe()) && list.stream()
                            .anyMatch(m -> m.state() == MigrationStatus.State.PENDING && m.version().equals(note.version())));
            boolean drift = !noCompare && compare(db, location, appliedVersion(list), failed.isPresent());
            long pending = list.stream().filter(m -> m.state() == MigrationStatus.State.PENDING).count();
            if (failed.isPresent()) {
                context.out().println("Failed: " + failed.get().describe());
                context.out().println(pending + " pending migration(s). Next: fix " + failed.get().script()
                        + " or delete it, then run finote db generate again (and finote db migrate)");
            } else if (pending > 0 && !postDeploy.isEmpty()) {
                context.out().println(pending + " pending migration(s), " + postDeploy.size() + " of them post-deploy."
                        + " Next: finote db migrate --pre-deploy before rolling out the new release, finote db migrate once it has rolled out");
            } else if (pending > 0) {
                context.out().println(pending + " pending migration(s). Next: finote db migrate");
            }
            if (drift) return EXIT_DRIFT;
            if (pending > 0) return EXIT_PENDING;
            context.out().println("Up to date.");
            return 0;
        }
    }

    private void printMigrations(List<MigrationStatus> list, Set<String> postDeploy) {
        if (list.isEmpty()) {
            context.out().println("  no migrations, neither in this build nor in the database");
            return;
        }
        context.out().printf("  %-8s %-20s %-23s %s%n", "version", "state", "applied", "description");
        for (MigrationStatus m : list) {
            String state = m.state().name().toLowerCase().replace('_', ' ');
            if (m.state() == MigrationStatus.State.PENDING && postDeploy.contains(m.version())) state = "pending post-deploy";
            context.out().printf("  %-8s %-20s %-23s %s%n", "V" + m.version(), state,
                    m.installedOn() == null ? "-" : WHEN.format(m.installedOn()), m.description());
        }
    }

    private static final String DRIFT_NEXT = "  Next: the database was changed outside the migrations (by hand, or by `finote db push`)."
            + " To keep that change, make schema.sql say the same, run finote db generate, then finote db migrate: it finds the change"
            + " already made and records the migration as applied (with NODE_ENV=production: --adopt-existing). To drop it,"
            + " change the database back by hand, or in development run finote db reset.";

    /** The version the history says the database is at, if any. */
    private static Optional<String> appliedVersion(List<MigrationStatus> list) {
        return list.stream().filter(m -> m.state() == MigrationStatus.State.APPLIED || m.state() == MigrationStatus.State.BASELINE)
                .map(MigrationStatus::version).filter(v -> !v.isEmpty()).reduce((first, second) -> second);
    }

    /** Prints drift and schema.sql agreement; true when either is wrong. */
    private boolean compare(TargetOptions.Target db, String location, Optional<String> applied, boolean newestFailed) {
        String source = schema.describe(context.layout());
        String schemaSql = schema.available(context.layout()) ? schema.read(context.layout()) : null;
        try (ShadowDatabase shadow = Shadow.open(context); Connection connection = Jdbc.connect(db.url())) {
            List<VersionedCatalog> versions = MigrationReplay.replay(shadow, location);
            Catalog live = CatalogReader.read(connection, NodeBackendTraces.inspect(connection).ignoredTables());
            boolean wrong = false;
            if (applied.isPresent()) {
                Optional<VersionedCatalog> expected = versions.stream().filter(v -> v.version().equals(applied.get())).findFirst();
                if (expected.isEmpty()) {
                    context.out().println("Drift: not checked, this build has no migration V" + applied.get() + ".");
                } else {
                    List<String> drift = SchemaMatch.differences(expected.get().catalog(), live);
                    if (drift.isEmpty()) {
                        context.out().println("Schema: exactly what V" + applied.get() + " builds (no drift).");
                    } else {
                        wrong = true;
                        context.out().println("Drift: the schema differs from what V" + applied.get()
                                + " builds (\"missing\" = expected, not in the database):");
                        drift.forEach(line -> context.out().println("    " + line));
                        context.out().println(DRIFT_NEXT);
                    }
                }
            } else if (!live.isEmpty()) {
                Optional<VersionedCatalog> match = SchemaMatch.earliest(versions, live);
                context.out().println(match.map(v -> "No migration history, but the schema is exactly " + v.label()
                                + ": `finote db migrate` will adopt it there.")
                        .orElse("No migration history, and the schema matches no migration version: `finote db migrate` will refuse it."));
                wrong = match.isEmpty();
            }
            if (schemaSql == null) {
                context.out().println("schema.sql: not compared (none in this build; pass --schema FILE).");
                return wrong;
            }
            Catalog desired = shadow.catalogOfSql(schemaSql);
            List<String> differences = desired.differencesFrom(MigrationReplay.latest(versions));
            if (differences.isEmpty()) {
                context.out().println(source + ": agrees with the migrations.");
                return wrong;
            }
            // A difference a migration introduced (schema.sql agreed with the version before it) is not a change
            // to generate: generate would undo that migration. Only the others are new in schema.sql.
            Map<String, String> madeByMigration = ChangeOrigins.madeByMigrations(differences, desired, versions);
            List<String> fresh = differences.stream().filter(line -> !madeByMigration.containsKey(line)).toList();
            if (!fresh.isEmpty()) {
                context.out().println(source + ": has " + fresh.size() + " change(s) no migration makes yet."
                        + (newestFailed ? "" : " Next: finote db generate"));
                fresh.forEach(line -> context.out().println("    " + line));
            }
            if (!madeByMigration.isEmpty()) {
                context.out().println(source + ": is behind the migrations: " + madeByMigration.size() + " change(s) made by a migration"
                        + " (hand-written?) that it does not have (\"missing\" = in " + source + ", not built by the migrations):");
                madeByMigration.forEach((line, version) -> context.out().println("    " + line + " (since V" + version + ")"));
                context.out().println("  Next: make " + source + " say what the migrations do (then this check agrees);"
                        + " `finote db generate` would write a migration that undoes them.");
            }
            return true;
        } catch (SQLException e) {
            throw new DatabaseException("could not read the database: " + e.getMessage(), e);
        }
    }
}
