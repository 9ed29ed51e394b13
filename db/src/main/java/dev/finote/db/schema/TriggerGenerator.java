package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Plans triggers: added ones are created once their table and function exist, changed ones
 * replaced in place ({@code CREATE OR REPLACE TRIGGER}), removed ones dropped before anything
 * else changes. A trigger whose function, or a function its {@code WHEN} condition calls, is
 * dropped and created again ({@link RoutineGenerator#recreated()}), or a changed constraint trigger (which has no
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
            // before its function and the functions its WHEN condition calls are dropped
            if (wanted == null || mustRecreate(had, wanted)) steps.add(Step.drop(had.dropSql(), had.table())
                    .on(SchemaObject.trigger(had.table(), had.name())).needing(List.of(SchemaObject.routine(had.function())))
                    .needing(RoutineGenerator.calledIn(have, had.definition())));
        });
        return steps;
    }

    /** Creates, replaces and enable states, after every table, column and function exists. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        want.triggers().forEach((key, wanted) -> {
            Trigger had = have.triggers().get(key);
            SchemaObject trigger = SchemaObject.trigger(wanted.table(), wanted.name());
            // created after its table and its function; its enable state after it
            java.util.Set<SchemaObject> needs = new java.util.TreeSet<>(RoutineGenerator.calledIn(want, wanted.definition())); // WHEN too
            needs.add(SchemaObject.table(wanted.table()));
            needs.add(SchemaObject.routine(wanted.function()));
            java.util.Set<SchemaObject> needsItself = new java.util.TreeSet<>(needs);
            needsItself.add(trigger);
            if (had == null || mustRecreate(had, wanted)) {
                steps.add(Step.create(wanted.definition(), wanted.table()).on(trigger).needing(needs));
                if (wanted.enabledSql() != null) steps.add(Step.alter(wanted.enabledSql(), wanted.table()).on(trigger).needing(needsItself));
            } else if (!had.definition().equals(wanted.definition())) {
                steps.add(Step.create(wanted.replaceSql(), wanted.table()).on(trigger).needing(needs));
                if (!had.enabled().equals(wanted.enabled())) steps.add(Step.alter(enable(wanted), wanted.table()).on(trigger).needing(needsItself));
            } else if (!had.enabled().equals(wanted.enabled())) {
                steps.add(Step.alter(enable(wanted), wanted.table()).on(trigger).needing(needsItself));
            }
        });
        return steps;
    }

    private boolean mustRecreate(Trigger had, Trigger wanted) {
        return recreatedRoutines.contains(had.function()) || !RoutineGenerator.callsAmong(recreatedRoutines, had.definition()).isEmpty()
                || (!had.definition().equals(wanted.definition()) && (had.replaceSql() == null || wanted.replaceSql() == null));
    }

    private static String enable(Trigger trigger) {
        return Objects.requireNonNullElse(trigger.enabledSql(),
                "ALTER TABLE " + Sql.qualified(trigger.table()) + " ENABLE TRIGGER " + Sql.ident(trigger.name()));
    }
}
