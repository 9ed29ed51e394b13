package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the primary keys, unique constraints and checks of kept tables (a new table's come with
 * its {@code CREATE TABLE}), and the renames of constraints whose definition reappears under a new
 * name. A simple key is built online: its unique index {@code CONCURRENTLY} (the key's first step,
 * under its name), then attached ({@code USING INDEX}); a check is added {@code NOT VALID}, then
 * validated. Each needs the columns it covers; a drop runs before they change or go.
 */
final class ConstraintGenerator {

    /** {@code PRIMARY KEY (a, b)} or {@code UNIQUE [NULLS NOT DISTINCT] (a)} with optional DEFERRABLE: attachable to a concurrently built index. */
    private static final Pattern SIMPLE_KEY = Pattern.compile(
            "(PRIMARY KEY|UNIQUE)( NULLS NOT DISTINCT)? \\(([^()]*)\\)( DEFERRABLE(?: INITIALLY DEFERRED)?)?");

    private final DiffContext context;

    ConstraintGenerator(DiffContext context) {
        this.context = context;
    }

    /** Drops of the checks of {@code kept} that go or change. */
    List<Step> dropChecks(KeptTable kept) {
        List<Step> steps = new ArrayList<>();
        for (CheckConstraint check : kept.droppedChecks) {
            steps.add(drop(kept.name, check.name()).needing(DiffContext.mentioned(kept.had, check.definition()))
                    .needing(RoutineGenerator.calledIn(context.have(), check.definition())));
        }
        return steps;
    }

    /** Drops of the keys of {@code kept} that go or change. */
    List<Step> dropKeys(KeptTable kept) {
        List<Step> steps = new ArrayList<>();
        for (KeyConstraint key : kept.droppedKeys) steps.add(drop(kept.name, key.name()).needing(DiffContext.columns(kept.name, key.columns())));
        return steps;
    }

    /** Drop of constraint {@code constraint} of {@code table} (a foreign key's too). */
    static Step drop(String table, String constraint) {
        return Step.drop("ALTER TABLE " + Sql.qualified(table) + " DROP CONSTRAINT " + Sql.ident(constraint), table)
                .on(SchemaObject.constraint(table, constraint));
    }

    /** Renames of the constraints of {@code kept} (keys, checks, foreign keys), each once the drop of what held the name freed it. */
    List<Step> renames(KeptTable kept) {
        List<Step> steps = new ArrayList<>();
        kept.renamedConstraints.forEach((from, to) -> steps.add(Step.rename("ALTER TABLE " + Sql.qualified(kept.name) + " RENAME CONSTRAINT "
                + Sql.ident(from) + " TO " + Sql.ident(to), kept.name, SchemaObject.constraint(kept.name, to))));
        return steps;
    }

    /** Added keys and checks of the kept tables. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (KeptTable kept : context.keptInOrder()) {
            addKeys(kept, steps);
            addChecks(kept, steps);
        }
        return steps;
    }

    private void addKeys(KeptTable kept, List<Step> steps) {
        String name = kept.name;
        String table = "ALTER TABLE " + Sql.qualified(name);
        List<KeyConstraint> keys = new ArrayList<>();
        if (kept.want.primaryKey() != null) keys.add(kept.want.primaryKey());
        keys.addAll(kept.want.uniqueConstraints().values());
        for (KeyConstraint key : keys) {
            KeyConstraint hadKey = key.primaryKey() ? kept.had.primaryKey() : kept.had.uniqueConstraints().get(key.name());
            boolean present = hadKey != null && hadKey.name().equals(key.name()) && !kept.droppedKeys.contains(hadKey);
            if (present || kept.renamedConstraints.containsValue(key.name())) continue;
            SchemaObject keyObject = SchemaObject.constraint(name, key.name());
            List<SchemaObject> keyColumns = DiffContext.columns(name, key.columns());
            Matcher simple = SIMPLE_KEY.matcher(key.definition());
            if (simple.matches() && !context.desired().partitionKeys().containsKey(name)) { // no CONCURRENTLY on a partitioned table
                // build the unique index without blocking writes (the key's first step: it takes the key's name), then attach it
                String nulls = simple.group(2) == null ? "" : " NULLS NOT DISTINCT";
                steps.add(Step.create("CREATE UNIQUE INDEX CONCURRENTLY " + Sql.ident(key.name()) + " ON " + Sql.qualified(name)
                        + " (" + simple.group(3) + ")" + nulls, name).concurrently().on(keyObject).needing(keyColumns).with(Hazard.BUILDS_INDEX,
                        "builds the index of " + key.name() + " on " + name + " without blocking writes (outside a transaction)"));
                steps.add(Step.alter(table + " ADD CONSTRAINT " + Sql.ident(key.name()) + " " + simple.group(1)
                        + " USING INDEX " + Sql.ident(key.name()) + (simple.group(4) == null ? "" : simple.group(4)), name)
                        .on(keyObject).needing(keyColumns).needing(List.of(keyObject)));
            } else {
                steps.add(Step.create(table + " ADD " + DiffContext.constraint(key.name(), key.definition()), name).on(keyObject).needing(keyColumns)
                        .with(Hazard.BUILDS_INDEX, "builds the index of " + key.name() + " on " + name)
                        .with(Hazard.LOCKS_TABLE, "blocks writes to " + name + " while the index of " + key.name() + " is built"));
            }
        }
    }

    private void addChecks(KeptTable kept, List<Step> steps) {
        String name = kept.name;
        for (CheckConstraint check : kept.want.checks().values()) {
            CheckConstraint hadCheck = kept.had.checks().get(check.name());
            if ((hadCheck != null && !kept.droppedChecks.contains(hadCheck)) || kept.renamedConstraints.containsValue(check.name())) continue;
            SchemaObject constraint = SchemaObject.constraint(name, check.name());
            steps.add(Step.create("ALTER TABLE " + Sql.qualified(name) + " ADD " + DiffContext.constraint(check.name(), check.definition()) + " NOT VALID", name)
                    .on(constraint).needing(RoutineGenerator.calledIn(context.desired(), check.definition()))
                    .needing(DiffContext.mentioned(kept.want, check.definition())));
            steps.add(DiffContext.validate(name, check.name()));
        }
    }
}
