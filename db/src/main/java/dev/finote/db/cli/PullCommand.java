package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.NodeBackendTraces;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.CatalogReader;
import dev.finote.db.schema.DiffOptions;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.SchemaDiff;
import dev.finote.db.schema.ShadowDatabase;
import dev.finote.db.schema.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {
                "Write a schema file from a live database.",
                "The DDL, applied to an empty database, gives the same catalog (checked in a shadow",
                "database before anything is written).",
                "Writes the project's schema.sql unless --output says otherwise (- for standard output); an",
                "existing file with other content is overwritten only with --force."})
final class PullCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write (default: the project's schema.sql; - for standard output).")
    Path output;

    @Option(names = "--force", description = "Overwrite an existing file whose content differs.")
    boolean force;

    PullCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Path file = output != null ? output : context.layout().schemaFile().orElseThrow(() -> new ActionableException(
                "there is no project schema.sql to write: this is not a checkout of the project", "pass --output FILE (or - for standard output)"));
        boolean toStdout = file.toString().equals("-");
        try (TargetOptions.Target db = target.open(context); Connection connection = Jdbc.connect(db.url())) {
            Catalog live = CatalogReader.read(connection, NodeBackendTraces.inspect(connection).ignoredTables());
            if (live.isEmpty()) {
                throw new ActionableException("the database " + db.url().describe() + " has no schema objects to pull",
                        "point --url (or DATABASE_URL) at the database whose schema you want");
            }
            String sql = render(db.url().describe(), SchemaDiff.plan(Catalog.EMPTY, live, DiffOptions.NONE));
            try (ShadowDatabase shadow = Shadow.open(context)) {
                List<String> differences = live.differencesFrom(shadow.catalogOfSql(sql));
                if (!differences.isEmpty()) {
                    throw new ActionableException("the pulled schema would not rebuild the database exactly: " + String.join("; ", differences),
                            "this is a bug in finote's diff engine: please report it");
                }
            }
            if (toStdout) {
                context.out().print(sql);
                context.out().flush();
                return 0;
            }
            write(file, sql);
            context.out().println("Wrote " + file + " from " + db.url().describe() + " (" + live.tables().size() + " table(s)).");
            context.out().println("Next: review it; `finote db generate` turns a difference from the migrations into a migration.");
            return 0;
        } catch (SQLException e) {
            throw new DatabaseException("could not read the database: " + e.getMessage(), e);
        }
    }

    private static String render(String from, Plan plan) {
        String body = plan.steps().stream().map(Step::sql).collect(Collectors.joining(";\n\n"));
        return "-- Finote's database schema, pulled from " + from + " by `finote db pull`.\n"
                + "-- The single source of truth: change the schema here, then run `finote db generate`.\n\n"
                + body + ";\n";
    }

    private void write(Path file, String sql) {
        try {
            if (Files.exists(file) && !force && !Files.readString(file, StandardCharsets.UTF_8).equals(sql)) {
                throw new ActionableException(file + " exists and differs from the pulled schema: it was left as it is",
                        "pass --force to overwrite it, or --output another file");
            }
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, sql, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ActionableException("cannot write " + file + ": " + e.getMessage(), "check the path and its permissions");
        }
    }
}
