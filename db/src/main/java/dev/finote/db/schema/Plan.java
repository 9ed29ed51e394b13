package dev.finote.db.schema;

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
 */
public record Plan(List<Step> steps) {

    public Plan {
        steps = List.copyOf(steps);
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

    /** The steps that change the schema: all but the lock_timeout settings around them. */
    public List<Step> changes() {
        return steps.stream().filter(step -> !step.sql().matches("(?i)^(SET|RESET)\\s+(LOCAL\\s+)?lock_timeout\\b.*")).toList();
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
        return new Plan(ordered);
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
            ordered.add(post && !step.sql().startsWith("RESET lock_timeout") ? step.postDeploy() : step);
        }
        return new Plan(ordered);
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
        StringBuilder sql = new StringBuilder();
        if (hasNonTransactionalSteps() && steps.stream().anyMatch(step -> !step.outsideTransaction())) {
            sql.append("-- This migration builds or drops indexes CONCURRENTLY, which PostgreSQL cannot do in a\n")
               .append("-- transaction: Flyway runs it statement by statement (mixed mode), not atomically.\n\n");
        }
        String body = steps.stream().map(step -> {
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
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
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
