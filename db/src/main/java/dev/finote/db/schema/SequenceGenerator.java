package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans sequences: created, their options changed in place (the current value is data and stays),
 * removed ones dropped post-deploy, unless they go with the column or table that owns them. Which
 * column owns one ({@code OWNED BY}) is an object of its own ({@link SchemaObject.Kind#OWNERSHIP}):
 * a sequence that stays while its owner goes is disowned first (the drop of that ownership, before
 * the owner's), and owned by its new column once that column is there.
 */
final class SequenceGenerator {

    private final DiffContext context;
    private final Set<String> disowned = new TreeSet<>(); // made OWNED BY NONE before their owner goes

    SequenceGenerator(DiffContext context) {
        this.context = context;
        for (Sequence sequence : context.have().sequences().values()) {
            if (sequence.isOwned() && context.desired().sequences().containsKey(sequence.name()) && context.ownerGoes(sequence)) {
                disowned.add(sequence.name());
            }
        }
    }

    /** A sequence that stays but whose owning column or table goes must be disowned first, or it would go too. */
    List<Step> disowns() {
        List<Step> steps = new ArrayList<>();
        for (Sequence sequence : context.have().sequences().values()) {
            if (!disowned.contains(sequence.name())) continue;
            String name = sequence.name();
            steps.add(Step.drop("ALTER SEQUENCE " + Sql.qualified(name) + " OWNED BY NONE", null).on(SchemaObject.ownership(name))
                    .needing(List.of(SchemaObject.column(sequence.ownedByTable(), sequence.ownedByColumn()))));
        }
        return steps;
    }

    /** Creates and option changes. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (Sequence want : context.desired().sequences().values()) {
            Sequence had = context.have().sequences().get(want.name());
            if (had == null) {
                steps.add(Step.create("CREATE SEQUENCE " + Sql.qualified(want.name()) + " " + want.optionsSql(), null)
                        .on(SchemaObject.sequence(want.name())));
            } else if (!had.withOwner(null, null).equals(want.withOwner(null, null))) {
                steps.add(Step.alter("ALTER SEQUENCE " + Sql.qualified(want.name()) + " " + want.optionsSql(), null)
                        .on(SchemaObject.sequence(want.name())));
            }
        }
        return steps;
    }

    /** {@code OWNED BY} set where the owner is new or another, or removed. */
    List<Step> ownerships() {
        List<Step> steps = new ArrayList<>();
        for (Sequence want : context.desired().sequences().values()) {
            Sequence had = context.have().sequences().get(want.name());
            boolean ownerWas = had != null && had.isOwned() && !disowned.contains(had.name());
            boolean sameOwner = ownerWas && Objects.equals(had.ownedByTable(), want.ownedByTable())
                    && Objects.equals(had.ownedByColumn(), want.ownedByColumn());
            if (want.isOwned() && !sameOwner) {
                steps.add(Step.create("ALTER SEQUENCE " + Sql.qualified(want.name()) + " OWNED BY "
                        + Sql.qualified(want.ownedByTable()) + "." + Sql.ident(want.ownedByColumn()), want.ownedByTable())
                        .on(SchemaObject.ownership(want.name()))
                        .needing(List.of(SchemaObject.sequence(want.name()), SchemaObject.column(want.ownedByTable(), want.ownedByColumn()))));
            } else if (!want.isOwned() && ownerWas) {
                steps.add(Step.drop("ALTER SEQUENCE " + Sql.qualified(want.name()) + " OWNED BY NONE", null)
                        .on(SchemaObject.ownership(want.name())).needing(List.of(SchemaObject.column(had.ownedByTable(), had.ownedByColumn()))));
            }
        }
        return steps;
    }

    /** Removed sequences not owned by a column or table that goes (they go with it), post-deploy. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (Sequence had : context.have().sequences().values()) {
            if (context.desired().sequences().containsKey(had.name())) continue;
            if (had.isOwned() && context.ownerGoes(had)) continue; // dropped with its table or column
            steps.add(Step.drop("DROP SEQUENCE " + Sql.qualified(had.name()), null).on(SchemaObject.sequence(had.name()))
                    .with(Hazard.DELETES_DATA, "drops sequence " + had.name() + " and its current value").postDeploy());
        }
        return steps;
    }
}
