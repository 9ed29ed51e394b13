package dev.finote.db.migrations;

import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.DeployPhase;
import dev.finote.db.schema.HazardComment;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.SqlLexer;
import dev.finote.db.schema.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds, in each migration of a history, the changes the release still serving cannot survive
 * during a rolling deploy (the steps the engine plans as {@link DeployPhase#POST_DEPLOY} between
 * the catalog before and after the file), and whether the file is marked post-deploy or
 * acknowledges them with {@code -- hazard: breaks-running-release: <why>} (for a team that stops
 * every server while it migrates). Purely additive migrations never have any.
 */
public final class PhaseLint {

    /** The acknowledgement code, in a {@code -- hazard:} comment like the hazards'. */
    public static final String ACKNOWLEDGEMENT = "breaks-running-release";

    /**
     * A post-deploy change in a migration.
     *
     * @param marked       the file carries {@link DeployPhase#MARKER}
     * @param acknowledged the file says {@code -- hazard: breaks-running-release: …}
     */
    public record Finding(VersionedCatalog migration, String change, boolean marked, boolean acknowledged) {
        public boolean ok() {
            return marked || acknowledged;
        }
    }

    private PhaseLint() {
    }

    public static List<Finding> lint(List<VersionedCatalog> versions, Function<String, String> scriptText) {
        List<Finding> findings = new ArrayList<>();
        Catalog before = Catalog.EMPTY;
        for (VersionedCatalog migration : versions) {
            String sql = scriptText.apply(migration.script());
            boolean marked = DeployPhase.ofScript(sql) == DeployPhase.POST_DEPLOY;
            boolean acknowledged = HazardComment.codes(sql).contains(ACKNOWLEDGEMENT);
            Plan plan = MigrationLint.plan(before, migration.catalog(), MigrationLint.declaredRenames(SqlLexer.split(sql)));
            for (Step step : plan.steps()) {
                if (step.isPostDeploy()) findings.add(new Finding(migration, step.sql().replaceAll("\\s+", " "), marked, acknowledged));
            }
            before = migration.catalog();
        }
        return findings;
    }
}
