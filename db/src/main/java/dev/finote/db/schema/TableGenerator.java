package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans whole tables: new ones created with their columns, keys and checks (their indexes,
 * foreign keys and comments come from those kinds' generators); removed ones dropped post-deploy
 * ({@link Hazard#DELETES_DATA}). Dropped tables that reference each other in a cycle have one
 * foreign key of the cycle dropped first; otherwise each is dropped after the dropped tables that
 * reference it, and before what it used (types, functions, sequences, referenced keys).
 */
final class TableGenerator {

    private final DiffContext context;
    private final List<String> dropOrder = new ArrayList<>();
    private final List<Step> cuts = new ArrayList<>();
    private final Set<String> cutForeignKeys = new TreeSet<>(); // table.fk dropped to break a cycle among dropped tables

    TableGenerator(DiffContext context) {
        this.context = context;
        orderDrops();
    }

    private void orderDrops() {
        // Dropping tables one by one in reference order needs no foreign key dropped first;
        // only a cycle among dropped tables does. Find an order, breaking cycles by dropping keys.
        Catalog have = context.have();
        Set<String> remaining = new TreeSet<>(context.dropped());
        while (!remaining.isEmpty()) {
            String next = null;
            for (String candidate : remaining) {
                boolean referenced = false;
                for (String other : remaining) {
                    if (other.equals(candidate)) continue;
                    for (ForeignKey fk : have.table(other).foreignKeys().values()) {
                        if (fk.referencedTable().equals(candidate)) referenced = true;
                    }
                }
                if (!referenced) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) { // a cycle: drop the first table's outgoing keys to other remaining tables
                String first = remaining.iterator().next();
                for (String other : remaining) {
                    for (ForeignKey fk : have.table(other).foreignKeys().values()) {
                        if (fk.referencedTable().equals(first) && !other.equals(first)) {
                            cuts.add(Step.drop("ALTER TABLE " + Sql.qualified(other) + " DROP CONSTRAINT " + Sql.ident(fk.name()), other)
                                    .on(SchemaObject.constraint(other, fk.name())).needing(List.of(SchemaObject.table(first))));
                            cutForeignKeys.add(other + "." + fk.name());
                        }
                    }
                }
                next = first;
            }
            dropOrder.add(next);
            remaining.remove(next);
        }
    }

    /** The foreign keys dropped to break cycles among dropped tables. */
    List<Step> cycleCuts() {
        return cuts;
    }

    /** DROP TABLE of the removed tables, post-deploy. */
    List<Step> drops() {
        Catalog have = context.have();
        List<Step> steps = new ArrayList<>();
        for (String name : dropOrder) {
            Table table = have.table(name);
            // after the dropped tables that reference it, before what its columns used
            Set<SchemaObject> used = new TreeSet<>();
            for (ForeignKey fk : table.foreignKeys().values()) {
                if (!cutForeignKeys.contains(name + "." + fk.name())) used.addAll(DiffContext.foreignKeyNeeds(have, name, fk));
            }
            for (Column column : table.columns().values()) used.addAll(context.usedBy(column));
            // and what goes with it used: the functions of its checks, indexes, triggers and policies
            for (CheckConstraint check : table.checks().values()) used.addAll(RoutineGenerator.calledIn(have, check.definition()));
            for (Index index : table.indexes().values()) used.addAll(RoutineGenerator.calledIn(have, index.body()));
            for (Trigger trigger : have.triggers().values()) {
                if (trigger.table().equals(name)) used.add(SchemaObject.routine(trigger.function()));
            }
            for (Policy policy : have.policies().values()) {
                if (!policy.table().equals(name)) continue;
                used.addAll(RoutineGenerator.calledIn(have, policy.using()));
                used.addAll(RoutineGenerator.calledIn(have, policy.withCheck()));
            }
            used.removeIf(object -> object.equals(SchemaObject.table(name)) || object.kind() == SchemaObject.Kind.COLUMN
                    && object.name().startsWith(name + ".") && object.name().indexOf('.', name.length() + 1) < 0); // its own
            steps.add(Step.drop("DROP TABLE " + Sql.qualified(name), name).on(SchemaObject.table(name)).needing(used)
                    .with(Hazard.DELETES_DATA, "drops table " + name + " and every row in it").postDeploy());
        }
        return steps;
    }

    /** CREATE TABLE of the new tables, with their keys and checks. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (String name : context.created()) steps.add(create(context.desired().table(name)));
        return steps;
    }

    private Step create(Table table) {
        Catalog desired = context.desired();
        List<String> parts = new ArrayList<>();
        Set<SchemaObject> needs = new TreeSet<>(); // what its columns and checks use
        for (Column column : table.columns().values()) {
            parts.add(ColumnGenerator.definition(column));
            needs.addAll(context.needsOf(column));
        }
        for (CheckConstraint check : table.checks().values()) needs.addAll(RoutineGenerator.calledIn(desired, check.definition()));
        needs.addAll(context.addedExtensions());
        if (table.primaryKey() != null) parts.add(DiffContext.constraint(table.primaryKey().name(), table.primaryKey().definition()));
        for (KeyConstraint key : table.uniqueConstraints().values()) parts.add(DiffContext.constraint(key.name(), key.definition()));
        for (CheckConstraint check : table.checks().values()) parts.add(DiffContext.constraint(check.name(), check.definition()));
        String partitionBy = desired.partitionKeys().containsKey(table.name()) ? " PARTITION BY " + desired.partitionKeys().get(table.name()) : "";
        return Step.create("CREATE TABLE " + Sql.qualified(table.name()) + " (\n    " + String.join(",\n    ", parts) + "\n)" + partitionBy, table.name())
                .on(SchemaObject.table(table.name())).needing(needs);
    }
}
