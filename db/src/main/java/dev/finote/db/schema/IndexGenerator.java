package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the indexes of tables (a materialized view's are {@link MaterializedViewGenerator}'s):
 * a new table's built with it; on a kept table built and dropped {@code CONCURRENTLY} (not on a
 * partitioned table, which has no such form), renamed where the same definition reappears under
 * a new name. Each needs its table, the columns it mentions and the functions it calls; a drop
 * runs before they change or go. An index that goes for good waits for the rollout.
 */
final class IndexGenerator {

    private final DiffContext context;

    IndexGenerator(DiffContext context) {
        this.context = context;
    }

    /** Drops of the indexes of {@code kept} that go or are built again. */
    List<Step> drops(KeptTable kept) {
        List<Step> steps = new ArrayList<>();
        String name = kept.name;
        for (Index index : kept.droppedIndexes) {
            Step drop = context.desired().partitionKeys().containsKey(name)
                    ? Step.drop("DROP INDEX " + Sql.schemaPrefix(name) + Sql.ident(index.name()), name) // no CONCURRENTLY there
                    : Step.drop("DROP INDEX CONCURRENTLY " + Sql.schemaPrefix(name) + Sql.ident(index.name()), name).concurrently();
            drop = drop.on(SchemaObject.index(index.name())).needing(DiffContext.mentioned(kept.had, index.body()))
                    .needing(RoutineGenerator.calledIn(context.have(), index.body()));
            // An index that goes away for good (not one rebuilt under its name, nor one in the way of a
            // column change) may still serve the release that is running: dropped once that release is gone.
            boolean removed = !kept.want.indexes().containsKey(index.name()) && index.valid() && !kept.touchesRecreated(index.body());
            steps.add(removed ? drop.postDeploy() : drop);
        }
        return steps;
    }

    /** Renames of the indexes of {@code kept}, each once the drop of what held the name freed it (index names are schema-wide). */
    List<Step> renames(KeptTable kept) {
        List<Step> steps = new ArrayList<>();
        kept.renamedIndexes.forEach((from, to) -> steps.add(Step.rename("ALTER INDEX " + Sql.schemaPrefix(kept.name) + Sql.ident(from)
                + " RENAME TO " + Sql.ident(to), kept.name, SchemaObject.index(to))));
        return steps;
    }

    /** The indexes of new tables, then those added to kept ones. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (String name : context.created()) {
            for (Index index : context.desired().table(name).indexes().values()) {
                steps.add(Step.create(index.createSql(name, false), name).on(SchemaObject.index(index.name()))
                        .needing(context.indexNeeds(name, index)));
            }
        }
        for (KeptTable kept : context.keptInOrder()) {
            String name = kept.name;
            for (Index index : kept.want.indexes().values()) {
                Index hadIndex = kept.had.indexes().get(index.name());
                if ((hadIndex != null && !kept.droppedIndexes.contains(hadIndex)) || kept.renamedIndexes.containsValue(index.name())) continue;
                steps.add(context.desired().partitionKeys().containsKey(name)
                        ? PartitionGenerator.createIndex(index, name).on(SchemaObject.index(index.name())).needing(context.indexNeeds(name, index))
                        : Step.create(index.createSql(name, true), name).concurrently().with(Hazard.BUILDS_INDEX,
                        "builds index " + index.name() + " on " + name + " without blocking writes (outside a transaction)")
                        .on(SchemaObject.index(index.name())).needing(context.indexNeeds(name, index)));
            }
        }
        return steps;
    }
}
