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

    /** Drops first: removed triggers, and those that must be created again (but see {@link #dropsAroundRecreatedRoutines()}). */
    List<Step> drops() {
        return drops(false);
    }

    /** Creates, replaces and enable states, after every table, column and function exists (but see {@link #createsAroundRecreatedRoutines()}). */
    List<Step> creates() {
        return creates(false);
    }

    /**
     * Drops of the triggers that go only because a function they run or their {@code WHEN} calls
     * is dropped and created again: {@link RecreatedRoutineDependents} places them with that
     * function's drop, so that no unrelated statement outside a transaction lands between the two
     * and the release still serving never writes a row the trigger misses.
     */
    List<Step> dropsAroundRecreatedRoutines() {
        return drops(true);
    }

    /** Creates of those triggers, placed right after the function is created again. */
    List<Step> createsAroundRecreatedRoutines() {
        return creates(true);
    }

    /** True for a trigger both sides have that must go and come back with a function dropped and created again. */
    private boolean aroundRecreatedRoutine(Trigger had) {
        return had != null && want.tables().containsKey(had.table()) && want.triggers().containsKey(had.key())
                && (recreatedRoutines.contains(had.function()) || !RoutineGenerator.callsAmong(recreatedRoutines, had.definition()).isEmpty());
    }

    private List<Step> drops(boolean aroundRoutines) {
        List<Step> steps = new ArrayList<>();
        have.triggers().forEach((key, had) -> {
            if (!want.tables().containsKey(had.table())) return; // goes with its table
            if (aroundRecreatedRoutine(had) != aroundRoutines) return;
            Trigger wanted = want.triggers().get(key);
            // before its function and the functions its WHEN condition calls are dropped
            if (wanted == null || mustRecreate(had, wanted)) steps.add(Step.drop(had.dropSql(), had.table())
                    .on(SchemaObject.trigger(had.table(), had.name())).needing(List.of(SchemaObject.routine(had.function())))
                    .needing(RoutineGenerator.calledIn(have, had.definition())));
        });
        return steps;
    }

    private List<Step> creates(boolean aroundRoutines) {
        List<Step> steps = new ArrayList<>();
        want.triggers().forEach((key, wanted) -> {
            Trigger had = have.triggers().get(key);
            if (aroundRecreatedRoutine(had) != aroundRoutines) return;
            SchemaObject trigger = SchemaObject.trigger(wanted.table(), wanted.name());
            // created after its table and its function; its enable state after it
            java.util.Set<SchemaObject> needs = new java.util.TreeSet<>(RoutineGenerator.calledIn(want, wanted.definition())); // WHEN too
            needs.add(SchemaObject.table(wanted.table()));
            needs.add(SchemaObject.routine(wanted.function()));
            // and after its table's new columns are added: UPDATE OF and WHEN may name them (not after
            // changes of existing ones, some of which wait for the rollout)
            Table before = have.table(wanted.table());
            want.table(wanted.table()).columns().keySet().stream().filter(column -> before == null || before.column(column) == null)
                    .forEach(column -> needs.add(SchemaObject.column(wanted.table(), column)));
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
