package dev.finote.db.cli;

import dev.finote.db.migrations.FailedMigration;
import dev.finote.db.migrations.MigrationFiles;
import dev.finote.db.migrations.MigrationFolder;
import dev.finote.db.migrations.MigrationReplay;
import dev.finote.db.migrations.VersionedCatalog;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.DiffOptions;
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
                "--rename-column."})
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
            Plan plan = SchemaDiff.plan(current, desired, new DiffOptions(tableRenames, columnRenames));
            if (plan.isEmpty()) {
                context.out().println("No changes: the migrations in " + directory + " already build " + source
                        + (versions.isEmpty() ? " (both are empty)." : " (schema version " + versions.getLast().version() + ")."));
                return 0;
            }
            MigrationFolder folder = new MigrationFolder(directory);
            List<NewMigration> migrations = name(folder, MigrationFiles.render(plan, source));
            verify(shadow, directory, migrations, desired);
            List<Path> written = write(folder, migrations);
            context.out().println("Wrote " + written.size() + " migration file(s) to " + directory + ":");
            written.forEach(file -> context.out().println("  " + file.getFileName()));
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
            context.out().println("Review, commit, then apply with: finote db migrate");
            return 0;
        }
    }

    /** The newest migration failed where it was last migrated and was never applied: a new one on top would only fail after it. */
    private void refuseToStackOnAFailedMigration(Path directory, String location) {
        FailedMigration.find(context.layout(), location)
                .filter(failed -> new MigrationFolder(directory).nextVersion().subtract(java.math.BigInteger.ONE).toString().equals(failed.version()))
                .ifPresent(failed -> {
                    throw new CommandFailure(failed.describe() + "; a new migration would be stacked on it, so nothing was written",
                            "fix " + failed.script() + " (or delete it), then run finote db generate again");
                });
    }

    /** A declared rename must name what exists before and after, or it would silently do nothing. */
    private void checkRenames(Catalog current, Catalog desired) {
        tableRenames.forEach((from, to) -> {
            if (!current.tables().containsKey(from)) {
                throw new CommandFailure("--rename-table " + from + "=" + to + ": the migrations have no table " + from,
                        "check the old name (finote db status lists the schema), or leave the option out");
            }
            if (!desired.tables().containsKey(to)) {
                throw new CommandFailure("--rename-table " + from + "=" + to + ": schema.sql has no table " + to,
                        "rename the table in schema.sql first");
            }
            if (current.tables().containsKey(to) || desired.tables().containsKey(from)) {
                throw new CommandFailure("--rename-table " + from + "=" + to + ": both names exist on one side, so this is not a rename",
                        "check the names, or leave the option out");
            }
        });
        columnRenames.forEach((from, to) -> {
            int dot = from.indexOf('.');
            if (dot <= 0 || dot == from.length() - 1) {
                throw new CommandFailure("--rename-column " + from + "=" + to + " is not TABLE.OLD=NEW", "e.g. --rename-column notes.body=content");
            }
            String table = from.substring(0, dot);
            String old = from.substring(dot + 1);
            if (desired.table(table) == null || desired.table(table).column(to) == null) {
                throw new CommandFailure("--rename-column " + from + "=" + to + ": schema.sql has no column " + table + "." + to,
                        "TABLE is the table's name in schema.sql; rename the column there first");
            }
            String currentTable = tableRenames.entrySet().stream().filter(rename -> rename.getValue().equals(table))
                    .map(java.util.Map.Entry::getKey).findFirst().orElse(table);
            var before = current.table(currentTable);
            if (before == null || before.column(old) == null) {
                throw new CommandFailure("--rename-column " + from + "=" + to + ": the migrations have no column " + currentTable + "." + old,
                        "check the old name (finote db status lists the schema), or leave the option out");
            }
            if (before.column(to) != null || desired.table(table).column(old) != null) {
                throw new CommandFailure("--rename-column " + from + "=" + to + ": both names exist on one side, so this is not a rename",
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
    private void verify(ShadowDatabase shadow, Path directory, List<NewMigration> migrations, Catalog desired) {
        Path staging = copyOf(directory);
        try {
            MigrationFolder copy = new MigrationFolder(staging);
            migrations.forEach(migration -> copy.write(migration.version(), migration.name(), migration.sql()));
            List<String> differences;
            try {
                differences = desired.differencesFrom(MigrationReplay.latest(MigrationReplay.replay(shadow, "filesystem:" + staging)));
            } catch (RuntimeException e) {
                throw new CommandFailure("the generated migration does not run: " + e.getMessage() + " (nothing was written)",
                        "check whether rows that the migrations insert conflict with the change; otherwise this is a bug in"
                                + " finote's diff engine: please report it with your schema.sql");
            }
            if (!differences.isEmpty()) {
                throw new CommandFailure("the generated migration does not reproduce schema.sql (nothing was written): "
                        + String.join("; ", differences), "this is a bug in finote's diff engine: please report it with your schema.sql");
            }
        } finally {
            deleteTree(staging);
        }
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
