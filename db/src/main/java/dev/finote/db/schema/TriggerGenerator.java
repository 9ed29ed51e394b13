package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Plans triggers: added ones are created once their table and function exist, changed ones
 * replaced in place ({@code CREATE OR REPLACE TRIGGER}), removed ones dropped before anything
 * else changes. A trigger whose function is dropped and created again
 * ({@link RoutineGenerator#recreated()}), or a changed constraint trigger (which has no
 * {@code OR REPLACE}), is dropped first and created again at the end. Triggers of dropped tables
 * go with their table. A disabled (or replica/always) trigger is created and then set so.
 */
final class TriggerGenerator {

    private final Catalog have;
    private final Catalog want;
    private final Set<String> recreatedRoutines;

    TriggerGenerator(Catalog have, Catalog want, Set<String> recreatedRoutines) {
        this.have = have;
        this.want = want;
        this.recreatedRoutines = recreatedRoutines;
    }

    /** Drops first: removed triggers, and those that must be created again. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        have.triggers().forEach((key, had) -> {
            if (!want.tables().containsKey(had.table())) return; // goes with its table
            Trigger wanted = want.triggers().get(key);
            if (wanted == null || mustRecreate(had, wanted)) steps.add(Step.of(had.dropSql(), had.table()));
        });
        return steps;
    }

    /** Creates, replaces and enable states, after every table, column and function exists. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        want.triggers().forEach((key, wanted) -> {
            Trigger had = have.triggers().get(key);
            if (had == null || mustRecreate(had, wanted)) {
                steps.add(Step.of(wanted.definition(), wanted.table()));
                if (wanted.enabledSql() != null) steps.add(Step.of(wanted.enabledSql(), wanted.table()));
            } else if (!had.definition().equals(wanted.definition())) {
                steps.add(Step.of(wanted.replaceSql(), wanted.table()));
                if (!had.enabled().equals(wanted.enabled())) steps.add(Step.of(enable(wanted), wanted.table()));
            } else if (!had.enabled().equals(wanted.enabled())) {
                steps.add(Step.of(enable(wanted), wanted.table()));
            }
        });
        return steps;
    }

    private boolean mustRecreate(Trigger had, Trigger wanted) {
        return recreatedRoutines.contains(had.function())
                || (!had.definition().equals(wanted.definition()) && (had.replaceSql() == null || wanted.replaceSql() == null));
    }

    private static String enable(Trigger trigger) {
        return Objects.requireNonNullElse(trigger.enabledSql(),
                "ALTER TABLE " + Sql.qualified(trigger.table()) + " ENABLE TRIGGER " + Sql.ident(trigger.name()));
    }
}
