package dev.finote.db.schema;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One statement of a plan.
 *
 * @param sql                the statement, without a trailing semicolon
 * @param hazards            what can go wrong when it runs
 * @param table              the table it changes, or null
 * @param outsideTransaction true when PostgreSQL refuses to run it in a transaction block
 *                           ({@code CREATE/DROP INDEX CONCURRENTLY})
 * @param reasons            for some hazards, why this statement has it, naming the objects
 *                           (else {@link Hazard#description()} applies)
 * @param phase              whether the release still serving during a rolling deploy survives it
 *                           ({@link DeployPhase#PRE_DEPLOY}) or it must wait until the rollout is done
 */
public record Step(String sql, Set<Hazard> hazards, String table, boolean outsideTransaction, Map<Hazard, String> reasons,
                   DeployPhase phase) {

    public Step {
        hazards = hazards.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hazards));
        reasons = Map.copyOf(reasons);
        java.util.Objects.requireNonNull(phase, "phase");
    }

    public Step(String sql, Set<Hazard> hazards, String table, boolean outsideTransaction, Map<Hazard, String> reasons) {
        this(sql, hazards, table, outsideTransaction, reasons, DeployPhase.PRE_DEPLOY);
    }

    public Step(String sql, Set<Hazard> hazards, String table, boolean outsideTransaction) {
        this(sql, hazards, table, outsideTransaction, Map.of());
    }

    /** This step, to run only once the previous release has stopped serving. */
    public Step postDeploy() {
        return new Step(sql, hazards, table, outsideTransaction, reasons, DeployPhase.POST_DEPLOY);
    }

    /** This step in {@code phase}. */
    public Step in(DeployPhase phase) {
        return new Step(sql, hazards, table, outsideTransaction, reasons, phase);
    }

    /** The same step with other SQL text (e.g. made safe to rerun). */
    public Step withSql(String otherSql) {
        return new Step(otherSql, hazards, table, outsideTransaction, reasons, phase);
    }

    public boolean isPostDeploy() {
        return phase == DeployPhase.POST_DEPLOY;
    }

    static Step of(String sql, String table) {
        return new Step(sql, Set.of(), table, false);
    }

    static Step concurrently(String sql, String table) {
        return new Step(sql, Set.of(), table, true);
    }

    /** This step with one more hazard, and why. */
    Step with(Hazard hazard, String reason) {
        EnumSet<Hazard> more = hazards.isEmpty() ? EnumSet.noneOf(Hazard.class) : EnumSet.copyOf(hazards);
        more.add(hazard);
        Map<Hazard, String> why = new EnumMap<>(Hazard.class);
        why.putAll(reasons);
        why.put(hazard, reason);
        return new Step(sql, more, table, outsideTransaction, why, phase);
    }

    /** Why this step has {@code hazard}. */
    public String reason(Hazard hazard) {
        return reasons.getOrDefault(hazard, hazard.description());
    }

    /** Hazards in declaration order. */
    public List<Hazard> orderedHazards() {
        return hazards.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(hazards));
    }
}
