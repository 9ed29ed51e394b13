package dev.finote.db.schema;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One statement of a plan.
 *
 * @param sql         the statement, without a trailing semicolon
 * @param hazards     what can go wrong when it runs
 * @param table       the table it changes, or null
 * @param transaction how it runs with respect to transactions ({@link TransactionMode})
 * @param reasons     for some hazards, why this statement has it, naming the objects
 *                    (else {@link Hazard#description()} applies)
 * @param phase       whether the release still serving during a rolling deploy survives it
 *                    ({@link DeployPhase#PRE_DEPLOY}) or it must wait until the rollout is done
 * @param lockTimeout how long it may wait for a lock before it fails ({@link Duration#ZERO}: without
 *                    bound, PostgreSQL's {@code lock_timeout = 0}); the renderers ({@link Plan},
 *                    {@code MigrationFiles}) write the {@code SET lock_timeout} statements from it
 */
public record Step(String sql, Set<Hazard> hazards, String table, TransactionMode transaction, Map<Hazard, String> reasons,
                   DeployPhase phase, Duration lockTimeout) {

    public Step {
        hazards = hazards.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hazards));
        reasons = Map.copyOf(reasons);
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) throw new IllegalArgumentException("negative lock timeout " + lockTimeout);
    }

    public Step(String sql, Set<Hazard> hazards, String table, TransactionMode transaction, Map<Hazard, String> reasons) {
        this(sql, hazards, table, transaction, reasons, DeployPhase.PRE_DEPLOY, Duration.ZERO);
    }

    public Step(String sql, Set<Hazard> hazards, String table, TransactionMode transaction) {
        this(sql, hazards, table, transaction, Map.of());
    }

    /** This step, to run only once the previous release has stopped serving. */
    public Step postDeploy() {
        return in(DeployPhase.POST_DEPLOY);
    }

    /** This step in {@code phase}. */
    public Step in(DeployPhase phase) {
        return new Step(sql, hazards, table, transaction, reasons, phase, lockTimeout);
    }

    /** The same step with other SQL text (e.g. made safe to rerun). */
    public Step withSql(String otherSql) {
        return new Step(otherSql, hazards, table, transaction, reasons, phase, lockTimeout);
    }

    /** This step, failing when it waits longer than {@code timeout} for a lock ({@link Duration#ZERO}: no bound). */
    public Step withLockTimeout(Duration timeout) {
        return new Step(sql, hazards, table, transaction, reasons, phase, timeout);
    }

    public boolean isPostDeploy() {
        return phase == DeployPhase.POST_DEPLOY;
    }

    /** True when PostgreSQL refuses to run it in a transaction block. */
    public boolean outsideTransaction() {
        return transaction == TransactionMode.OUTSIDE_TRANSACTION;
    }

    /** True when a lock timeout bounds its waits for locks. */
    public boolean boundedLocks() {
        return !lockTimeout.isZero();
    }

    static Step of(String sql, String table) {
        return new Step(sql, Set.of(), table, TransactionMode.IN_TRANSACTION);
    }

    static Step concurrently(String sql, String table) {
        return new Step(sql, Set.of(), table, TransactionMode.OUTSIDE_TRANSACTION);
    }

    /** A step whose transaction must commit before later steps use what it makes. */
    static Step committed(String sql, String table) {
        return new Step(sql, Set.of(), table, TransactionMode.COMMIT_AFTER);
    }

    /** This step with one more hazard, and why. */
    Step with(Hazard hazard, String reason) {
        EnumSet<Hazard> more = hazards.isEmpty() ? EnumSet.noneOf(Hazard.class) : EnumSet.copyOf(hazards);
        more.add(hazard);
        Map<Hazard, String> why = new EnumMap<>(Hazard.class);
        why.putAll(reasons);
        why.put(hazard, reason);
        return new Step(sql, more, table, transaction, why, phase, lockTimeout);
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
