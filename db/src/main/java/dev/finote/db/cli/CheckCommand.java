package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.migrations.LintFinding;
import dev.finote.db.migrations.MigrationLint;
import dev.finote.db.migrations.MigrationReplay;
import dev.finote.db.migrations.PhaseLint;
import dev.finote.db.migrations.VersionedCatalog;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.ShadowDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
                "The CI gate: schema.sql matches the migrations, every hazard is acknowledged.",
                "Fails when schema.sql and the migrations disagree, or when a migration holds a hazard",
                "it does not acknowledge.",
                "Replays the migrations one by one in a shadow database. A migration must acknowledge each",
                "hazard that loses data or blocks a table (deletes-data, rewrites-table, locks-table,",
                "fails-on-existing-rows) with a comment line `-- hazard: <code>: <why>`, as generated",
                "migrations do. Builds-index and validates-constraint are the safe forms' costs: reported only.",
                "A migration that drops or renames a table or column, narrows or converts a type, removes an",
                "enum value, sets NOT NULL or drops a default must be post-deploy (header line",
                "`-- finote: phase=post-deploy`) or say `-- hazard: breaks-running-release: <why>`.",
                "Exits 0 when all is well, 1 otherwise. Needs no database but the shadow one."})
final class CheckCommand implements Callable<Integer> {

    private final DbContext context;

    @Mixin
    SchemaOption schema;

    @Mixin
    MigrationsOption migrations;

    CheckCommand(DbContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String location = migrations.location(context.layout());
        String source = schema.describe(context.layout());
        String schemaSql = schema.read(context.layout());
        List<String> problems = new ArrayList<>();
        try (ShadowDatabase shadow = Shadow.open(context)) {
            List<VersionedCatalog> versions = MigrationReplay.replay(shadow, location);
            Catalog desired = shadow.catalogOfSql(schemaSql);
            List<LintFinding> findings = MigrationLint.lint(versions, dev.finote.db.migrations.MigrationScripts.reader(location));
            for (VersionedCatalog version : versions) {
                List<LintFinding> own = findings.stream().filter(f -> f.migration().equals(version)).toList();
                context.out().println("V" + version.version() + " " + version.script() + (own.isEmpty() ? ": no hazards" : ":"));
                for (LintFinding finding : own) {
                    String verdict = finding.acknowledged() ? "acknowledged" : finding.needsAcknowledgement() ? "NOT ACKNOWLEDGED" : "reported";
                    context.out().println("    " + finding.hazard().code() + " (" + verdict + "): " + finding.statement());
                    if (finding.needsAcknowledgement() && !finding.acknowledged()) {
                        problems.add("V" + version.version() + " has the hazard " + finding.hazard().code() + " without a `-- hazard: "
                                + finding.hazard().code() + ": …` comment (" + finding.hazard().description() + ")");
                    }
                }
            }
            for (PhaseLint.Finding finding : PhaseLint.lint(versions, dev.finote.db.migrations.MigrationScripts.reader(location))) {
                if (finding.ok()) continue;
                VersionedCatalog version = finding.migration();
                context.out().println("V" + version.version() + " " + version.script() + ": breaks the release still serving (NOT MARKED"
                        + " post-deploy): " + finding.change());
                problems.add("V" + version.version() + " holds a change the previous release cannot survive during a rolling deploy ("
                        + finding.change() + ") but is not marked post-deploy");
            }
            List<String> differences = desired.differencesFrom(MigrationReplay.latest(versions));
            if (differences.isEmpty()) {
                context.out().println(source + " and the migrations agree.");
            } else {
                context.out().println(source + " and the migrations disagree (\"missing\" = in schema.sql, not built by the migrations):");
                differences.forEach(line -> context.out().println("    " + line));
                problems.add(source + " has " + differences.size() + " difference(s) from what the migrations build");
            }
        }
        if (problems.isEmpty()) {
            context.out().println("OK.");
            return 0;
        }
        context.out().flush();
        throw new ActionableException(String.join("; ", problems),
                "run `finote db generate` for the missing migration; acknowledge a hazard you accept with a `-- hazard: <code>: <why>` comment in the migration;"
                        + " a migration that breaks the running release goes after the rollout: mark it with the header line `"
                        + dev.finote.db.schema.DeployPhase.MARKER + "` (before anything is applied anywhere), or acknowledge it with `-- hazard: "
                        + PhaseLint.ACKNOWLEDGEMENT + ": <why>`");
    }
}
