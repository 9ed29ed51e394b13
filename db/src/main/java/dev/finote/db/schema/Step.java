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
 * @param action      what it does to {@code object}
 * @param object      the object it creates, changes or drops, or null where its generator declares none
 * @param needs       the objects it needs: for a create or change, what must exist before it; for a
 *                    drop, what the dropped object used, which must not be dropped or changed before it
 */
public record Step(String sql, Set<Hazard> hazards, String table, TransactionMode transaction, Map<Hazard, String> reasons,
                   DeployPhase phase, Duration lockTimeout, Action action, SchemaObject object, Set<SchemaObject> needs) {

    public Step {
        hazards = hazards.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hazards));
        reasons = Map.copyOf(reasons);
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) throw new IllegalArgumentException("negative lock timeout " + lockTimeout);
        Objects.requireNonNull(action, "action");
        needs = Set.copyOf(needs);
    }

    public Step(String sql, Set<Hazard> hazards, String table, TransactionMode transaction, Map<Hazard, String> reasons) {
        this(sql, hazards, table, transaction, reasons, DeployPhase.PRE_DEPLOY, Duration.ZERO, Action.ALTER, null, Set.of());
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
        return new Step(sql, hazards, table, transaction, reasons, phase, lockTimeout, action, object, needs);
    }

    /** The same step with other SQL text (e.g. made safe to rerun). */
    public Step withSql(String otherSql) {
        return new Step(otherSql, hazards, table, transaction, reasons, phase, lockTimeout, action, object, needs);
    }

    /** This step, failing when it waits longer than {@code timeout} for a lock ({@link Duration#ZERO}: no bound). */
    public Step withLockTimeout(Duration timeout) {
        return new Step(sql, hazards, table, transaction, reasons, phase, timeout, action, object, needs);
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

    /** A step that creates (or replaces) what it names; {@code table} is the table it changes, or null. */
    static Step create(String sql, String table) {
        return new Step(sql, Set.of(), table, TransactionMode.IN_TRANSACTION).doing(Action.CREATE);
    }

    /** A step that changes an object that exists. */
    static Step alter(String sql, String table) {
        return new Step(sql, Set.of(), table, TransactionMode.IN_TRANSACTION).doing(Action.ALTER);
    }

    /** A step that gives an existing object the name {@code renamed}: what uses that name comes after it. */
    static Step rename(String sql, String table, SchemaObject renamed) {
        return new Step(sql, Set.of(), table, TransactionMode.IN_TRANSACTION).doing(Action.RENAME).on(renamed);
    }

    static Step drop(String sql, String table) {
        return new Step(sql, Set.of(), table, TransactionMode.IN_TRANSACTION).doing(Action.DROP);
    }

    /** A GRANT on {@code target}, which must exist first. */
    static Step grant(String sql, SchemaObject target) {
        return new Step(sql, Set.of(), null, TransactionMode.IN_TRANSACTION).doing(Action.GRANT).needing(java.util.List.of(target));
    }

    /** A REVOKE on {@code target}, which must exist first. */
    static Step revoke(String sql, SchemaObject target) {
        return new Step(sql, Set.of(), null, TransactionMode.IN_TRANSACTION).doing(Action.REVOKE).needing(java.util.List.of(target));
    }

    /** This step, run as {@code mode} says. */
    Step running(TransactionMode mode) {
        return new Step(sql, hazards, table, mode, reasons, phase, lockTimeout, action, object, needs);
    }

    /** This step outside a transaction block ({@code CONCURRENTLY}). */
    Step concurrently() {
        return running(TransactionMode.OUTSIDE_TRANSACTION);
    }

    private Step doing(Action what) {
        return new Step(sql, hazards, table, transaction, reasons, phase, lockTimeout, what, object, needs);
    }

    /** This step, declared to act on {@code what}. */
    Step on(SchemaObject what) {
        return new Step(sql, hazards, table, transaction, reasons, phase, lockTimeout, action, what, needs);
    }

    /** This step, declared to need {@code objects} (see {@link #needs()}), besides what it needed. */
    Step needing(java.util.Collection<SchemaObject> objects) {
        Set<SchemaObject> all = new java.util.HashSet<>(needs);
        all.addAll(objects);
        return new Step(sql, hazards, table, transaction, reasons, phase, lockTimeout, action, object, all);
    }

    /** This step, declared to need {@code objects} instead of what it needed. */
    Step needingOnly(java.util.Collection<SchemaObject> objects) {
        return new Step(sql, hazards, table, transaction, reasons, phase, lockTimeout, action, object, Set.copyOf(objects));
    }

    /** This step with one more hazard, and why. */
    Step with(Hazard hazard, String reason) {
        EnumSet<Hazard> more = hazards.isEmpty() ? EnumSet.noneOf(Hazard.class) : EnumSet.copyOf(hazards);
        more.add(hazard);
        Map<Hazard, String> why = new EnumMap<>(Hazard.class);
        why.putAll(reasons);
        why.put(hazard, reason);
        return new Step(sql, more, table, transaction, why, phase, lockTimeout, action, object, needs);
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
