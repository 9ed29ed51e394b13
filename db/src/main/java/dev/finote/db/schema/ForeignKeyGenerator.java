package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans foreign keys: a new table's added once every table is there; a kept table's added
 * {@code NOT VALID}, then validated (a partitioned table takes no {@code NOT VALID} one), and
 * dropped where they go or what they reference changes ({@link KeptTable}). Each needs its
 * columns, the referenced table and columns and the key it references; a drop runs before those
 * change or go.
 */
final class ForeignKeyGenerator {

    private final DiffContext context;

    ForeignKeyGenerator(DiffContext context) {
        this.context = context;
    }

    /** Drops of the foreign keys of kept tables that go or are added again. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (KeptTable kept : context.keptInOrder()) {
            for (ForeignKey fk : kept.droppedForeignKeys) {
                steps.add(ConstraintGenerator.drop(kept.name, fk.name()).needing(DiffContext.foreignKeyNeeds(context.have(), kept.name, fk)));
            }
        }
        return steps;
    }

    /** The foreign keys of new tables, then those added to kept ones. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (String name : context.created()) {
            for (ForeignKey fk : context.desired().table(name).foreignKeys().values()) {
                steps.add(Step.create(add(name, fk), name).on(SchemaObject.constraint(name, fk.name()))
                        .needing(DiffContext.foreignKeyNeeds(context.desired(), name, fk)));
            }
        }
        for (KeptTable kept : context.keptInOrder()) {
            String name = kept.name;
            for (ForeignKey fk : kept.want.foreignKeys().values()) {
                ForeignKey hadFk = kept.had.foreignKeys().get(fk.name());
                if ((hadFk != null && !kept.droppedForeignKeys.contains(hadFk)) || kept.renamedConstraints.containsValue(fk.name())) continue;
                SchemaObject constraint = SchemaObject.constraint(name, fk.name());
                if (context.desired().partitionKeys().containsKey(name)) { // PostgreSQL has no NOT VALID foreign key on a partitioned table
                    steps.add(PartitionGenerator.addForeignKey(add(name, fk), name, fk).on(constraint)
                            .needing(DiffContext.foreignKeyNeeds(context.desired(), name, fk)));
                    continue;
                }
                steps.add(Step.create(add(name, fk) + " NOT VALID", name).on(constraint).needing(DiffContext.foreignKeyNeeds(context.desired(), name, fk)));
                steps.add(DiffContext.validate(name, fk.name()));
            }
        }
        return steps;
    }

    private static String add(String table, ForeignKey fk) {
        return "ALTER TABLE " + Sql.qualified(table) + " ADD " + DiffContext.constraint(fk.name(), fk.definition());
    }
}
