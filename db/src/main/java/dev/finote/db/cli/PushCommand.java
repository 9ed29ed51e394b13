package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.DatabaseException;
import dev.finote.db.migrations.DataLossScan;
import dev.finote.db.migrations.NodeBackendTraces;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.CatalogReader;
import dev.finote.db.schema.DiffOptions;
import dev.finote.db.schema.ManagedGrants;
import dev.finote.db.schema.ManagedSchemas;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.PlanRunner;
import dev.finote.db.schema.SchemaDiff;
import dev.finote.db.schema.ShadowDatabase;
import dev.finote.db.schema.Step;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.SchemaVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "push", mixinStandardHelpOptions = true,
        description = {
                "Development only: make a database match schema.sql directly, without a migration.",
                "Prints the plan first. Refuses when NODE_ENV=production (use generate + migrate there).",
                "A change that would lose data (dropping a table or column that has rows, narrowing a type",
                "of a table with rows) needs --accept-data-loss. A later `finote db migrate` recognises the",
                "pushed schema and records its version instead of failing with \"relation already exists\"."})
final class PushCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    TargetOptions target;

    @Mixin
    SchemaOption schema;

    @Option(names = "--accept-data-loss", description = "Apply the plan even where it deletes data.")
    boolean acceptDataLoss;

    @Option(names = "--dry-run", description = "Print the plan and what it would lose; change nothing.")
    boolean dryRun;

    PushCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (context.production()) {
            throw new ActionableException("push is for development databases, and NODE_ENV=production: nothing was changed",
                    "write a migration with `finote db generate`, commit it, and apply it with `finote db migrate`");
        }
        String source = schema.describe(context.layout());
        String schemaSql = schema.read(context.layout());
        try (TargetOptions.Target db = target.openSession(context, "push");
             ShadowDatabase shadow = Shadow.open(context);
             Connection connection = Jdbc.connect(db.url())) {
            Catalog desired = shadow.catalogOfSql(schemaSql);
            // grants to roles schema.sql never names, and schemas it does not have, are someone else's: push leaves them alone
            Catalog live = ManagedGrants.of(desired, ManagedSchemas.of(desired,
                    CatalogReader.read(connection, NodeBackendTraces.inspect(connection).ignoredTables())));
            Plan plan = SchemaDiff.plan(live, desired, DiffOptions.NONE);
            if (plan.isEmpty()) {
                context.out().println("Database " + db.url().describe() + " already matches " + source + ".");
                return 0;
            }
            context.out().println("Plan for " + db.url().describe() + " to match " + source + ":");
            context.out().print(plan.describe());
            List<String> losses = new java.util.ArrayList<>();
            for (Step step : plan.steps()) {
                var loss = DataLossScan.of(step, live).filter(finding -> DataLossScan.stillLoses(connection, finding));
                if (loss.isEmpty()) continue;
                String sql = step.sql().replaceAll("\\s+", " ");
                losses.add(loss.get().targets().isEmpty() ? sql : sql + "   (table " + step.table() + " has rows)");
            }
            if (dryRun) {
                context.out().println(losses.isEmpty() ? "Dry run: nothing was changed; no data would be lost."
                        : "Dry run: nothing was changed. Applying it would lose data (needs --accept-data-loss):");
                losses.forEach(loss -> context.out().println("    " + loss));
                return 0;
            }
            if (!losses.isEmpty() && !acceptDataLoss) {
                context.out().println("These steps would lose data:");
                losses.forEach(loss -> context.out().println("    " + loss));
                throw new ActionableException(losses.size() + " step(s) would lose data in " + db.url().describe() + ": nothing was changed",
                        "back it up (finote db backup), then re-run with --accept-data-loss if that is what you want");
            }
            PlanRunner.apply(connection, plan);
            context.out().println("Pushed " + plan.steps().size() + " change(s): " + db.url().describe() + " now matches " + source + ".");
            java.util.Optional<String> history = SchemaVersion.of(connection);
            if (history.isPresent()) {
                context.out().println("Note: its migration history says V" + history.get() + "; once you `finote db generate` the migration for"
                        + " this change, `finote db migrate` records it as applied without running it again.");
            }
            return 0;
        } catch (SQLException e) {
            throw new DatabaseException("could not read the database: " + e.getMessage(), e);
        }
    }
}
