package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ordered list of statements taking a database from one catalog to another.
 *
 * <p><b>How Flyway runs {@link #toSql()}.</b> Flyway (11 and 12) parses a migration and flags
 * {@code CREATE/DROP INDEX CONCURRENTLY} as non-transactional. A file with only transactional
 * statements runs in one transaction. A file mixing both is refused ("Detected both transactional
 * and non-transactional statements within the same migration") unless Flyway's {@code mixed}
 * option is on; then the whole file runs statement by statement in autocommit — no longer atomic,
 * which is why every step here is safe to rerun from the failing statement after a fix, and why
 * the plan bounds its locks with {@code lock_timeout}. Finote's {@code Migrator} turns
 * {@code mixed} on. Open-source Flyway has no per-statement transaction control in a file
 * (a {@code V…sql.conf} with {@code executeInTransaction=false} would do the same as mixed, for
 * one file). {@link #toSql()} says in its header when a file will run that way.
 *
 * <p>The lock timeout is a field of each step ({@link Step#lockTimeout()}); the plan writes the
 * settings from it when it renders ({@link #statements()}), as {@code SET}/{@code RESET} for a
 * session ({@link LockScope#SESSION}, what {@code push} runs) or as {@code SET LOCAL} for a file
 * that runs in one transaction ({@link LockScope#TRANSACTION}, a migration file).
 *
 * @param steps     the changes, in the order they run
 * @param lockScope how the lock timeout settings are written
 */
public record Plan(List<Step> steps, LockScope lockScope) {

    /** Where a lock timeout setting holds, so how it is written. */
    public enum LockScope {
        /** {@code SET lock_timeout} before the first bounded step, {@code RESET} after the last: the session's setting. */
        SESSION,
        /** {@code SET LOCAL lock_timeout} in the transaction of the steps it bounds; it ends with the transaction. */
        TRANSACTION
    }

    public Plan {
        steps = List.copyOf(steps);
        java.util.Objects.requireNonNull(lockScope, "lockScope");
    }

    public Plan(List<Step> steps) {
        this(steps, LockScope.SESSION);
    }

    /** Other steps, rendered the same way. */
    public Plan withSteps(List<Step> other) {
        return new Plan(other, lockScope);
    }

    /**
     * What runs, in order: the steps, with the lock timeout settings their
     * {@link Step#lockTimeout()} calls for written in between (settings carry no hazard).
     */
    public List<Step> statements() {
        List<Step> out = new ArrayList<>();
        java.time.Duration current = java.time.Duration.ZERO;
        for (Step step : steps) {
            // SET LOCAL means nothing outside a transaction block: such a step keeps the server's setting
            boolean applies = lockScope == LockScope.SESSION || !step.outsideTransaction();
            if (applies && !step.lockTimeout().equals(current)) {
                out.add(lockSetting(step.lockTimeout(), lockScope == LockScope.SESSION ? DeployPhase.PRE_DEPLOY : step.phase()));
                current = step.lockTimeout();
            }
            out.add(step);
        }
        if (lockScope == LockScope.SESSION && !current.isZero()) out.add(lockSetting(java.time.Duration.ZERO, DeployPhase.PRE_DEPLOY));
        return out;
    }

    private Step lockSetting(java.time.Duration timeout, DeployPhase phase) {
        String sql = switch (lockScope) {
            case SESSION -> timeout.isZero() ? "RESET lock_timeout" : "SET lock_timeout = " + Sql.literal(postgresDuration(timeout));
            case TRANSACTION -> "SET LOCAL lock_timeout = " + (timeout.isZero() ? "0" : Sql.literal(postgresDuration(timeout)));
        };
        return Step.alter(sql, null).in(phase);
    }

    /** {@code 5s}, {@code 200ms}: PostgreSQL's units for a time setting. */
    static String postgresDuration(java.time.Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Every hazard of every step. */
    public Set<Hazard> hazards() {
        EnumSet<Hazard> all = EnumSet.noneOf(Hazard.class);
        steps.forEach(step -> all.addAll(step.hazards()));
        return all;
    }

    /** True when some step must wait until the previous release has stopped serving. */
    public boolean hasPostDeploySteps() {
        return steps.stream().anyMatch(Step::isPostDeploy);
    }

    /**
     * The same steps with every pre-deploy one first, then the post-deploy ones, each group in
     * plan order: what a rolling deploy needs. The planner orders drops before creates, so moving
     * a drop after the creates can break a plan where a create needs the drop (a name freed, a
     * renamed column an index uses); callers verify the result and fall back to
     * {@link #postDeployFromFirstPostDeployStep()}.
     */
    public Plan preDeployFirst() {
        List<Step> ordered = new java.util.ArrayList<>(steps.stream().filter(step -> !step.isPostDeploy()).toList());
        ordered.addAll(steps.stream().filter(Step::isPostDeploy).toList());
        return withSteps(ordered);
    }

    /**
     * The plan's own order, with every step from the first post-deploy one on made post-deploy:
     * always runs, at the price of keeping some additive steps back until after the rollout.
     */
    public Plan postDeployFromFirstPostDeployStep() {
        List<Step> ordered = new java.util.ArrayList<>();
        boolean post = false;
        for (Step step : steps) {
            post |= step.isPostDeploy();
            ordered.add(post ? step.postDeploy() : step);
        }
        return withSteps(ordered);
    }

    /** True when some step must run outside a transaction (so Flyway runs the file statement by statement). */
    public boolean hasNonTransactionalSteps() {
        return steps.stream().anyMatch(Step::outsideTransaction);
    }

    /**
     * The migration text: statements separated by {@code ;} and a blank line, each preceded by
     * {@code -- hazard: <code>: <why>} lines; empty for an empty plan.
     */
    public String toSql() {
        if (steps.isEmpty()) return "";
        List<Step> statements = statements();
        StringBuilder sql = new StringBuilder();
        if (hasNonTransactionalSteps() && statements.stream().anyMatch(step -> !step.outsideTransaction())) {
            sql.append("-- This migration builds or drops indexes CONCURRENTLY, which PostgreSQL cannot do in a\n")
               .append("-- transaction: Flyway runs it statement by statement (mixed mode), not atomically.\n\n");
        }
        String body = statements.stream().map(step -> {
            StringBuilder one = new StringBuilder();
            for (Hazard hazard : step.orderedHazards()) {
                one.append(HazardComment.write(step, hazard)).append('\n');
            }
            return one.append(step.sql()).toString();
        }).collect(Collectors.joining(";\n\n"));
        return sql.append(body).append(";\n").toString();
    }

    /** For a terminal: one numbered line per statement, hazards in brackets. */
    public String describe() {
        if (steps.isEmpty()) return "no changes\n";
        List<Step> statements = statements();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < statements.size(); i++) {
            Step step = statements.get(i);
            out.append(String.format("%3d. %s", i + 1, step.sql().replace("\n", " ")));
            if (step.isPostDeploy()) out.append("  (post-deploy)");
            if (!step.hazards().isEmpty()) {
                out.append("  [").append(step.orderedHazards().stream().map(Hazard::code).collect(Collectors.joining(", "))).append(']');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
