package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.migrations.FailedMigration;
import dev.finote.db.migrations.MigrationFiles;
import dev.finote.db.migrations.MigrationFolder;
import dev.finote.db.migrations.MigrationReplay;
import dev.finote.db.migrations.VersionedCatalog;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.DeployPhase;
import dev.finote.db.schema.DiffOptions;
import dev.finote.db.schema.Hazard;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.SchemaDiff;
import dev.finote.db.schema.ShadowDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {
                "Write the migration that takes the migrations' schema to schema.sql.",
                "Replays the migrations and applies schema.sql in a shadow database, diffs the two catalogs and",
                "writes the next V<n>__<name>.sql, each statement preceded by its hazards as comments. Says",
                "\"no changes\" and writes nothing when they already agree. A change that needs statements",
                "outside a transaction (CREATE INDEX CONCURRENTLY) is split into consecutive files, so every",
                "file either runs in one transaction or holds only such statements.",
                "A rename is a drop plus an add (losing the data) unless declared with --rename-table or",
                "--rename-column; a declared rename breaks the release still serving, so it is refused unless",
                "--allow-rename-in-one-release says so (generate prints the expand/contract sequence instead).",
                "Changes the running release cannot survive during a rolling deploy (dropping or renaming a",
                "table or column, narrowing or converting a type, removing an enum value, SET NOT NULL, a",
                "dropped default) go into a separate post-deploy file after the others, marked in its header",
                "with `-- finote: phase=post-deploy`: `finote db migrate --pre-deploy` stops before it.",
                "A NOT NULL column without a default on an existing table is refused: it fails on rows."})
final class GenerateCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    SchemaOption schema;

    @Mixin
    MigrationsOption migrations;

    @Option(names = "--name", paramLabel = "NAME", description = "What the migration does, e.g. add_note_updated_at (default: schema_change).")
    String name = "schema_change";

    @Option(names = "--rename-table", paramLabel = "OLD=NEW", description = "Declare a table rename, so its rows stay (repeatable).")
    Map<String, String> tableRenames = new LinkedHashMap<>();

    @Option(names = "--rename-column", paramLabel = "TABLE.OLD=NEW",
            description = "Declare a column rename, so its values stay; TABLE is the table's new name (repeatable).")
    Map<String, String> columnRenames = new LinkedHashMap<>();

    @Option(names = "--allow-rename-in-one-release",
            description = "Write a declared rename as one post-deploy migration, accepting that servers of the previous release"
                    + " fail on the old name until they are replaced (otherwise refused: use expand/contract).")
    boolean allowRename;

    GenerateCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Path directory = migrations.writableDirectory(context.layout());
        String location = "filesystem:" + directory;
        String source = schema.describe(context.layout());
        String schemaSql = schema.read(context.layout());
        refuseToStackOnAFailedMigration(directory, location);
        try (ShadowDatabase shadow = Shadow.open(context)) {
            List<VersionedCatalog> versions = MigrationReplay.replay(shadow, location);
            Catalog current = MigrationReplay.latest(versions);
            Catalog desired = shadow.catalogOfSql(schemaSql);
            checkRenames(current, desired);
            if (!allowRename && !(tableRenames.isEmpty() && columnRenames.isEmpty())) {
                context.out().print(ExpandContract.forRenames(tableRenames, columnRenames));
                context.out().flush();
                throw new ActionableException("a declared rename breaks the release still serving during a rolling deploy: its servers"
                        + " read and write the old name until the new release has replaced them (nothing was written)",
                        "follow the expand/contract sequence above over two releases, or, if every server can stop during the"
                                + " change, pass --allow-rename-in-one-release");
            }
            Plan planned = SchemaDiff.plan(current, desired, new DiffOptions(tableRenames, columnRenames));
            if (planned.isEmpty()) {
                context.out().println("No changes: the migrations in " + directory + " already build " + source
                        + (versions.isEmpty() ? " (both are empty)." : " (schema version " + versions.getLast().version() + ")."));
                return 0;
            }
            refuseFailingOnRows(planned);
            MigrationFolder folder = new MigrationFolder(directory);
            // Pre-deploy steps first, then post-deploy ones; if moving the drops after the creates
            // breaks the plan, keep the planner's order and make everything from the first
            // post-deploy step on post-deploy.
            Plan plan = planned.preDeployFirst();
            List<NewMigration> migrations = name(folder, MigrationFiles.render(plan, source));
            Optional<String> problem = verify(shadow, directory, migrations, desired);
            if (problem.isPresent() && planned.hasPostDeploySteps()) {
                plan = planned.postDeployFromFirstPostDeployStep();
                migrations = name(folder, MigrationFiles.render(plan, source));
                problem = verify(shadow, directory, migrations, desired);
            }
            if (problem.isPresent()) throw verificationFailure(problem.get());
            List<Path> written = write(folder, migrations);
            context.out().println("Wrote " + written.size() + " migration file(s) to " + directory + ":");
            for (int i = 0; i < written.size(); i++) {
                boolean post = DeployPhase.ofScript(migrations.get(i).sql()) == DeployPhase.POST_DEPLOY;
                context.out().println("  " + written.get(i).getFileName() + (post ? "  (post-deploy)" : ""));
            }
            context.out().println();
            // What the files hold (SET LOCAL lock_timeout, IF NOT EXISTS…), not the plan they were made from.
            List<Plan> contents = MigrationFiles.files(plan);
            for (int i = 0; i < contents.size(); i++) {
                if (contents.size() > 1) context.out().println(written.get(i).getFileName() + ":");
                context.out().print(contents.get(i).describe());
            }
            context.out().println();
            if (!plan.hazards().isEmpty()) {
                context.out().println("Hazards are marked in the file(s) as `-- hazard:` comments; read them before applying.");
            }
            if (plan.hasPostDeploySteps()) {
                context.out().println("Post-deploy files hold changes the release still serving cannot survive. Deploy with:"
                        + " finote db migrate --pre-deploy, roll out the new release, then finote db migrate.");
            }
            context.out().println("Review, commit, then apply with: finote db migrate");
            return 0;
        }
    }

    /** The newest migration failed where it was last migrated and was never applied: a new one on top would only fail after it. */
    private void refuseToStackOnAFailedMigration(Path directory, String location) {
        FailedMigration.find(context.layout(), location)
                .filter(failed -> new MigrationFolder(directory).nextVersion().subtract(java.math.BigInteger.ONE).toString().equals(failed.version()))
                .ifPresent(failed -> {
                    throw new ActionableException(failed.describe() + "; a new migration would be stacked on it, so nothing was written",
                            "fix " + failed.script() + " (or delete it), then run finote db generate again");
                });
    }

    /**
     * A NOT NULL column without a default fails on a table with rows, and generate cannot know
     * the table is empty everywhere it will run: refused, saying what to write instead.
     */
    private static void refuseFailingOnRows(Plan plan) {
        List<String> failing = plan.steps().stream().filter(step -> step.hazards().contains(Hazard.FAILS_ON_EXISTING_ROWS))
                .map(step -> step.reason(Hazard.FAILS_ON_EXISTING_ROWS)).toList();
        if (failing.isEmpty()) return;
        throw new ActionableException("the change would fail on a table with rows (" + String.join("; ", failing) + "), so no migration was written",
                "in schema.sql give the column a DEFAULT (e.g. `priority integer NOT NULL DEFAULT 0`); or, expand/contract, declare it"
                        + " without NOT NULL, generate and deploy, fill it in, then add NOT NULL in schema.sql and generate again"
                        + " (that SET NOT NULL becomes a post-deploy migration)");
    }

    /** A declared rename must name what exists before and after, or it would silently do nothing. */
    private void checkRenames(Catalog current, Catalog desired) {
        tableRenames.forEach((from, to) -> {
            if (!current.tables().containsKey(from)) {
                throw new ActionableException("--rename-table " + from + "=" + to + ": the migrations have no table " + from,
                        "check the old name (finote db status lists the schema), or leave the option out");
            }
            if (!desired.tables().containsKey(to)) {
                throw new ActionableException("--rename-table " + from + "=" + to + ": schema.sql has no table " + to,
                        "rename the table in schema.sql first");
            }
            if (current.tables().containsKey(to) || desired.tables().containsKey(from)) {
                throw new ActionableException("--rename-table " + from + "=" + to + ": both names exist on one side, so this is not a rename",
                        "check the names, or leave the option out");
            }
        });
        columnRenames.forEach((from, to) -> {
            int dot = from.indexOf('.');
            if (dot <= 0 || dot == from.length() - 1) {
                throw new ActionableException("--rename-column " + from + "=" + to + " is not TABLE.OLD=NEW", "e.g. --rename-column notes.body=content");
            }
            String table = from.substring(0, dot);
            String old = from.substring(dot + 1);
            if (desired.table(table) == null || desired.table(table).column(to) == null) {
                throw new ActionableException("--rename-column " + from + "=" + to + ": schema.sql has no column " + table + "." + to,
                        "TABLE is the table's name in schema.sql; rename the column there first");
            }
            String currentTable = tableRenames.entrySet().stream().filter(rename -> rename.getValue().equals(table))
                    .map(java.util.Map.Entry::getKey).findFirst().orElse(table);
            var before = current.table(currentTable);
            if (before == null || before.column(old) == null) {
                throw new ActionableException("--rename-column " + from + "=" + to + ": the migrations have no column " + currentTable + "." + old,
                        "check the old name (finote db status lists the schema), or leave the option out");
            }
            if (before.column(to) != null || desired.table(table).column(old) != null) {
                throw new ActionableException("--rename-column " + from + "=" + to + ": both names exist on one side, so this is not a rename",
                        "check the names, or leave the option out");
            }
        });
    }

    /** One file {@code generate} is about to write. */
    private record NewMigration(BigInteger version, String name, String sql) {
    }

    private List<NewMigration> name(MigrationFolder folder, List<String> files) {
        BigInteger version = folder.nextVersion();
        String baseName = MigrationFolder.fileSafeName(name);
        List<NewMigration> named = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String fileName = files.size() == 1 ? baseName : baseName + "_part" + (i + 1);
            named.add(new NewMigration(version.add(BigInteger.valueOf(i)), fileName, files.get(i)));
        }
        return named;
    }

    /**
     * The new files, replayed after the others, must give exactly schema.sql's catalog. They
     * are tried in a copy of the folder, so the real one never holds an unverified migration,
     * even when the command is interrupted.
     */
    private static Optional<String> verify(ShadowDatabase shadow, Path directory, List<NewMigration> migrations, Catalog desired) {
        Path staging = copyOf(directory);
        try {
            MigrationFolder copy = new MigrationFolder(staging);
            migrations.forEach(migration -> copy.write(migration.version(), migration.name(), migration.sql()));
            List<String> differences;
            try {
                differences = desired.differencesFrom(MigrationReplay.latest(MigrationReplay.replay(shadow, "filesystem:" + staging)));
            } catch (RuntimeException e) {
                return Optional.of("does not run: " + e.getMessage());
            }
            return differences.isEmpty() ? Optional.empty()
                    : Optional.of("does not reproduce schema.sql: " + String.join("; ", differences));
        } finally {
            deleteTree(staging);
        }
    }

    private static ActionableException verificationFailure(String problem) {
        return problem.startsWith("does not run")
                ? new ActionableException("the generated migration " + problem + " (nothing was written)",
                        "check whether rows that the migrations insert conflict with the change; otherwise this is a bug in"
                                + " finote's diff engine: please report it with your schema.sql")
                : new ActionableException("the generated migration " + problem + " (nothing was written)",
                        "this is a bug in finote's diff engine: please report it with your schema.sql");
    }

    /** Writes the verified files; if one cannot be written, the ones already written are removed again. */
    private static List<Path> write(MigrationFolder folder, List<NewMigration> migrations) {
        List<Path> written = new ArrayList<>();
        try {
            for (NewMigration migration : migrations) {
                written.add(folder.write(migration.version(), migration.name(), migration.sql()));
            }
            return written;
        } catch (RuntimeException e) {
            written.forEach(GenerateCommand::deleteQuietly);
            throw e;
        }
    }

    /** A temporary copy of the migrations folder, subfolders included (Flyway reads them too). */
    private static Path copyOf(Path directory) {
        try {
            Path staging = Files.createTempDirectory("finote-generate-");
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = staging.resolve(directory.relativize(file).toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target);
                }
            }
            return staging;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + directory + " to check the new migration: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(GenerateCommand::deleteQuietly);
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the error that follows names the file, or it is a temporary one
        }
    }
}
