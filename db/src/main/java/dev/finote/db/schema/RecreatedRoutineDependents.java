package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Takes what uses a function out of its way when the function must be dropped and created again
 * ({@link RoutineGenerator#recreatedSignatures}: its result, arguments or kind change, which
 * {@code CREATE OR REPLACE} refuses), since PostgreSQL will not drop a function anything uses.
 * Column defaults, checks and indexes are dropped before the function ({@link #drops()}, each step
 * needing it, so {@link StepOrder} runs it first), and the planner is given the current schema
 * without them ({@link #currentWithout()}), so it adds them again as the new schema declares
 * them once the function is back: a default set again, a check added {@code NOT VALID} and then
 * validated ({@code validates-constraint}), an index built {@code CONCURRENTLY}
 * ({@code builds-index}). Triggers that run or call the function are dropped and created again
 * here too ({@link TriggerGenerator#dropsAroundRecreatedRoutines()}); views and materialized views
 * by their generators ({@code rebuilds-materialized-view}).
 *
 * <p>The window between a drop and its re-creation is what matters to the release still serving:
 * a row it writes then would miss a default, a check or a trigger. So the drops go last among the
 * planner's drops and the trigger creates first among its creates, around the function's drop and
 * create, and the index is dropped in the transaction rather than {@code CONCURRENTLY} (which
 * would split it): unless another step of the change must run outside a transaction, all of it
 * but the index build runs in one transaction, and all of it before the rollout, as the function's
 * own re-creation does. What cannot come back that way is refused, naming it: a unique index (rows
 * written while it is rebuilt concurrently could break it), a generated column (dropped and added
 * back, it would rewrite its table), a policy (row level security would change while it is gone),
 * a domain, a partition key, a routine with a SQL-standard body (bound to the function), and a
 * dependent this change removes only after the rollout (a default, a view, a table), which would
 * have to go before it.
 */
final class RecreatedRoutineDependents {

    private final Catalog current;
    private final Catalog without;
    private final List<Step> drops = new ArrayList<>();
    private final List<Step> creates = new ArrayList<>();

    RecreatedRoutineDependents(Catalog current, Catalog desired) {
        this.current = current;
        Set<String> recreated = RoutineGenerator.recreatedSignatures(current, desired);
        if (recreated.isEmpty()) {
            without = current;
            return;
        }
        Map<String, List<String>> refused = new LinkedHashMap<>(); // routine → what keeps it from being dropped
        Map<String, Table> tables = new TreeMap<>(current.tables());
        for (Table had : current.tables().values()) {
            Table wanted = desired.table(had.name());
            Map<String, Column> columns = new LinkedHashMap<>(had.columns());
            Map<String, CheckConstraint> checks = new TreeMap<>(had.checks());
            Map<String, Index> indexes = new TreeMap<>(had.indexes());
            List<SchemaObject> onTable = List.of(SchemaObject.table(had.name())); // each drop before its table's, if that goes too
            for (Column column : had.columns().values()) {
                String where = had.name() + "." + column.name();
                refuse(refused, recreated, column.generatedExpression(), "generated column " + where
                        + " uses it (dropped and added back, it would rewrite " + had.name() + ")");
                Set<SchemaObject> called = RoutineGenerator.callsAmong(recreated, column.defaultExpression());
                if (called.isEmpty()) continue;
                String removedLater = defaultRemovedLater(current, desired, had, wanted, column);
                if (removedLater != null) {
                    refuse(refused, called, "the default of " + where + " uses it, and " + removedLater);
                    continue;
                }
                drops.add(Step.drop("ALTER TABLE " + Sql.qualified(had.name()) + " ALTER COLUMN " + Sql.ident(column.name()) + " DROP DEFAULT", had.name())
                        .on(SchemaObject.columnPart(SchemaObject.Kind.DEFAULT, had.name(), column.name())).needing(called).needing(onTable));
                columns.put(column.name(), column.withExpressions(null, column.generatedExpression()));
            }
            for (CheckConstraint check : had.checks().values()) {
                Set<SchemaObject> called = RoutineGenerator.callsAmong(recreated, check.definition());
                if (called.isEmpty()) continue;
                drops.add(Step.drop("ALTER TABLE " + Sql.qualified(had.name()) + " DROP CONSTRAINT " + Sql.ident(check.name()), had.name())
                        .on(SchemaObject.constraint(had.name(), check.name())).needing(called).needing(onTable));
                checks.remove(check.name());
            }
            for (Index index : had.indexes().values()) {
                Set<SchemaObject> called = RoutineGenerator.callsAmong(recreated, index.body());
                if (called.isEmpty()) continue;
                if (index.unique()) {
                    refuse(refused, called, "unique index " + index.name() + " on " + had.name()
                            + " uses it (rows written while it is built again could break it)");
                    continue;
                }
                // Not CONCURRENTLY: outside a transaction it would split the function's drop and create from the
                // drops and creates of its other dependents, leaving old writers without a default, check or trigger in between.
                drops.add(Step.drop("DROP INDEX " + Sql.schemaPrefix(had.name()) + Sql.ident(index.name()), had.name())
                        .on(SchemaObject.index(index.name())).needing(called).needing(onTable));
                indexes.remove(index.name());
            }
            if (current.partitionKeys().containsKey(had.name())) {
                refuse(refused, recreated, current.partitionKeys().get(had.name()), "the partition key of " + had.name() + " uses it");
            }
            tables.put(had.name(), new Table(had.name(), columns, had.primaryKey(), had.uniqueConstraints(), had.foreignKeys(), checks, indexes, had.comment()));
        }
        current.triggers().values().forEach(trigger -> {
            if (desired.table(trigger.table()) == null) {
                Set<SchemaObject> called = new java.util.TreeSet<>(RoutineGenerator.callsAmong(recreated, trigger.definition()));
                if (recreated.contains(trigger.function())) called.add(SchemaObject.routine(trigger.function()));
                refuse(refused, called, "trigger " + trigger.name() + " on " + trigger.table() + " uses it, and " + trigger.table()
                        + " is dropped only after the rollout");
            }
        });
        current.views().values().forEach(view -> {
            if (!desired.views().containsKey(view.name())) {
                refuse(refused, recreated, view.definition(), "view " + view.name() + " uses it, and this change drops it only after the rollout");
            }
        });
        current.materializedViews().values().forEach(view -> {
            if (!desired.materializedViews().containsKey(view.name())) {
                refuse(refused, recreated, view.definition(), "materialized view " + view.name() + " uses it, and this change drops it only after the rollout");
            }
        });
        current.policies().values().forEach(policy -> refuse(refused, recreated, java.util.Objects.toString(policy.using(), "") + " " + java.util.Objects.toString(policy.withCheck(), ""), "policy " + policy.name()
                + " on " + policy.table() + " uses it (while it is gone, row level security would change who sees which rows)"));
        current.domains().values().forEach(domain -> refuse(refused, recreated, java.util.Objects.toString(domain.defaultExpression(), "") + " " + String.join(" ", domain.checks().values()),
                "domain " + domain.name() + " uses it"));
        current.routines().values().forEach(routine -> {
            if (routine.definition().contains("BEGIN ATOMIC") && !recreated.contains(routine.signature())) {
                refuse(refused, recreated, routine.definition(), "routine " + routine.signature() + " uses it (its SQL-standard body is bound to it)");
            }
        });
        if (!refused.isEmpty()) throw refusal(refused);
        TriggerGenerator triggers = new TriggerGenerator(current, desired, recreated);
        drops.addAll(triggers.dropsAroundRecreatedRoutines());
        creates.addAll(triggers.createsAroundRecreatedRoutines());
        without = current.with(tables, current.sequences());
    }

    /** Drops of the defaults, checks and indexes in the way, each before the function it uses is dropped. */
    List<Step> drops() {
        return List.copyOf(drops);
    }

    /**
     * Creates of the triggers that run or call such a function, from the new schema. The planner
     * puts these first among its creates, and the drops last among its drops, so that StepOrder,
     * which keeps that order wherever no dependency says otherwise, places them right around the
     * function's drop and create: in one transaction unless the function itself must wait.
     */
    List<Step> creates() {
        return List.copyOf(creates);
    }

    /** The current schema without those defaults, checks and indexes: what the planner adds back from the new schema. */
    Catalog currentWithout() {
        return without;
    }

    /**
     * Why the default of {@code column} cannot simply be dropped now and set again: the new schema
     * removes it (or its column or table), which waits for the rollout, as old writers may rely on
     * it; or its column's type change does (it may lose data). Null when it can.
     */
    private static String defaultRemovedLater(Catalog current, Catalog desired, Table had, Table wanted, Column column) {
        if (wanted == null) return had.name() + " is dropped only after the rollout";
        Column after = wanted.column(column.name());
        if (after == null || after.isGenerated()) return "this change drops " + had.name() + "." + column.name() + " only after the rollout";
        if (after.defaultExpression() == null) return "this change drops that default only after the rollout";
        if (!column.type().equals(after.type())) {
            EnumType before = current.enums().get(column.type());
            EnumType now = desired.enums().get(column.type());
            boolean losesLabels = before != null && now != null && !now.labels().containsAll(before.labels());
            if (losesLabels || TypeChange.withHazards(Step.alter("", had.name()), had.name(), column, after, false).hazards().contains(Hazard.DELETES_DATA)) {
                return "the type change of " + had.name() + "." + column.name() + " waits for the rollout";
            }
        }
        return null;
    }

    private static void refuse(Map<String, List<String>> refused, Set<String> recreated, String expression, String why) {
        refuse(refused, RoutineGenerator.callsAmong(recreated, expression), why);
    }

    private static void refuse(Map<String, List<String>> refused, Set<SchemaObject> called, String why) {
        for (SchemaObject routine : called) refused.computeIfAbsent(routine.name(), signature -> new ArrayList<>()).add(why);
    }

    private DatabaseException refusal(Map<String, List<String>> refused) {
        Map.Entry<String, List<String>> first = refused.entrySet().iterator().next();
        String signature = first.getKey();
        String kind = current.routines().get(signature).procedure() ? "procedure " : "function ";
        return new DatabaseException(kind + signature + " must be dropped and created again (its result or arguments change), but "
                + String.join("; ", first.getValue()) + ", so it cannot go and come back with it in one change",
                "keep the old function in schema.sql, add the new one under another name, move what uses " + signature
                        + " to it (or remove that first), and drop the old one in a later change", null);
    }
}
