package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Plans the columns of kept tables (a new table's come with its {@code CREATE TABLE}): added ones
 * (with the hazards of filling them), dropped ones ({@link Hazard#DELETES_DATA}, post-deploy;
 * a changed generated column is dropped and added again), and changes in place. A column's
 * parts are objects of their own ({@link SchemaObject.Kind#DEFAULT} for its default or identity,
 * {@link SchemaObject.Kind#NOT_NULL}, {@link SchemaObject.Kind#EXPRESSION}): a part removed goes
 * before the column's type changes, one added after. Changes the release still serving may
 * trip over (a dropped default, a type that refuses its values) wait for the rollout.
 */
final class ColumnGenerator {

    private final DiffContext context;

    ColumnGenerator(DiffContext context) {
        this.context = context;
    }

    /** Drops of removed columns and of those added again. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (KeptTable kept : context.keptInOrder()) {
            String name = kept.name;
            for (Column column : kept.had.columns().values()) {
                if (kept.want.column(column.name()) == null || kept.recreated.contains(column.name())) {
                    // before what it used goes
                    Step drop = Step.drop("ALTER TABLE " + Sql.qualified(name) + " DROP COLUMN " + Sql.ident(column.name()), name)
                            .on(SchemaObject.column(name, column.name())).needing(context.usedBy(column));
                    steps.add(column.isGenerated() && kept.want.column(column.name()) != null
                            ? drop.with(Hazard.REWRITES_TABLE, "drops generated column " + name + "." + column.name() + " to add it back with its new definition")
                            : drop.with(Hazard.DELETES_DATA, "drops column " + name + "." + column.name() + " and its values")
                                    // the release still serving reads and writes it; a recreated one comes back at once
                                    .in(kept.want.column(column.name()) == null ? DeployPhase.POST_DEPLOY : DeployPhase.PRE_DEPLOY));
                }
            }
        }
        return steps;
    }

    /** Added columns and changes of existing ones. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (KeptTable kept : context.keptInOrder()) changes(kept, steps);
        return steps;
    }

    private void changes(KeptTable kept, List<Step> steps) {
        String name = kept.name;
        Table had = kept.had;
        Table want = kept.want;
        Set<String> recreated = kept.recreated;
        String table = "ALTER TABLE " + Sql.qualified(name);
        for (Column wanted : want.columns().values()) {
            Column column = had.column(wanted.name());
            if (column == null || recreated.contains(wanted.name())) {
                steps.add(addHazards(name, Step.create(table + " ADD COLUMN " + definition(wanted), name)
                        .on(SchemaObject.column(name, wanted.name())).needing(context.needsOf(wanted)).needing(context.addedExtensions()), wanted));
                continue;
            }
            String alter = table + " ALTER COLUMN " + Sql.ident(wanted.name());
            String haveDefault = column.defaultExpression();
            SchemaObject onColumn = SchemaObject.column(name, wanted.name());
            // The parts of a column are objects of their own: a part removed goes before the column's
            // type changes, one added after; its identity counts as its default (one replaces the other).
            SchemaObject defaultOf = SchemaObject.columnPart(SchemaObject.Kind.DEFAULT, name, wanted.name());
            SchemaObject notNull = SchemaObject.columnPart(SchemaObject.Kind.NOT_NULL, name, wanted.name());
            List<SchemaObject> theColumn = List.of(onColumn);
            if (column.isGenerated() && !wanted.isGenerated()) {
                steps.add(Step.drop(alter + " DROP EXPRESSION", name)
                        .on(SchemaObject.columnPart(SchemaObject.Kind.EXPRESSION, name, wanted.name())).needing(theColumn).needing(context.usedBy(column)));
            }
            if (column.identity() != Column.Identity.NONE && wanted.identity() == Column.Identity.NONE) {
                steps.add(Step.drop(alter + " DROP IDENTITY", name).on(defaultOf).needing(List.of(onColumn, notNull)));
            }
            boolean typeChange = !column.type().equals(wanted.type()) || !Objects.equals(column.collation(), wanted.collation());
            // Old writers may insert without a value once the default is gone, or send values the
            // new type refuses: such changes wait for the rollout (post-deploy), with the default
            // steps around a type change, which must stay in order with it.
            boolean dropsDefault = column.defaultExpression() != null && wanted.defaultExpression() == null;
            DeployPhase typePhase = DeployPhase.PRE_DEPLOY;
            if (typeChange) {
                Step retype = TypeChange.withHazards(Step.alter(alter + " TYPE " + wanted.type()
                        + (wanted.collation() == null ? "" : " COLLATE " + Sql.ident(wanted.collation()))
                        + TypeChange.using(column.type(), wanted.type(), wanted.name()), name),
                        name, column, wanted, oldEnumLosesLabels(column.type()));
                if (retype.hazards().contains(Hazard.DELETES_DATA) || dropsDefault) typePhase = DeployPhase.POST_DEPLOY;
                if (haveDefault != null) {
                    steps.add(Step.drop(alter + " DROP DEFAULT", name).on(defaultOf).needing(theColumn).needing(context.usedBy(column)).in(typePhase));
                    haveDefault = null;
                }
                // the old type is still there while it runs; the new one, and whatever an added extension brings, first
                steps.add(retype.on(onColumn).needing(DiffContext.typeNeeds(context.desired(), wanted.type())).needing(context.typesUsed(column.type()))
                        .needing(context.addedExtensions()).in(typePhase));
            }
            if (!Objects.equals(haveDefault, wanted.defaultExpression())) {
                Step step = wanted.defaultExpression() == null
                        ? Step.drop(alter + " DROP DEFAULT", name).on(defaultOf).needing(theColumn).needing(context.usedBy(column))
                        // replacing one: before what the old one used goes
                        : Step.create(alter + " SET DEFAULT " + wanted.defaultExpression(), name).on(defaultOf).needing(theColumn)
                                .needing(context.needsOf(wanted)).needing(haveDefault == null ? Set.of() : context.usedBy(column));
                steps.add(step.in(wanted.defaultExpression() == null ? DeployPhase.POST_DEPLOY : typePhase));
            }
            if (!column.notNull() && wanted.notNull()) {
                steps.add(Step.create(alter + " SET NOT NULL", name).on(notNull).needing(theColumn).with(Hazard.LOCKS_TABLE,
                        "scans all of " + name + " for NULLs in " + wanted.name() + " while holding an ACCESS EXCLUSIVE lock").postDeploy());
            } else if (column.notNull() && !wanted.notNull()) {
                steps.add(Step.drop(alter + " DROP NOT NULL", name).on(notNull).needing(theColumn));
            }
            if (wanted.identity() != Column.Identity.NONE && column.identity() == Column.Identity.NONE) {
                steps.add(Step.create(alter + " ADD " + wanted.identity().sql() + IdentityOptions.clause(wanted.identityOptions()), name)
                        .on(defaultOf).needing(List.of(onColumn, notNull)));
            } else if (wanted.identity() != Column.Identity.NONE && column.identity() != wanted.identity()) {
                steps.add(Step.alter(alter + " SET GENERATED " + (wanted.identity() == Column.Identity.ALWAYS ? "ALWAYS" : "BY DEFAULT"), name)
                        .on(defaultOf).needing(theColumn));
            }
            // the identity sequence's options, set in place: its current value is data and stays
            Sequence hadOptions = typeChange ? IdentityOptions.retyped(column.identityOptions(), wanted.type()) : column.identityOptions();
            if (column.identity() != Column.Identity.NONE && IdentityOptions.differ(hadOptions, wanted.identityOptions())) {
                steps.add(Step.alter(alter + IdentityOptions.changes(hadOptions, wanted.identityOptions()), name).on(defaultOf).needing(theColumn));
            }
        }
    }

    /** True when {@code type} is an enum being created again whose new labels leave out some of the old. */
    private boolean oldEnumLosesLabels(String type) {
        String base = type.endsWith("[]") ? type.substring(0, type.length() - 2) : type;
        if (!base.endsWith(EnumGenerator.OLD_SUFFIX)) return false;
        String enumName = base.substring(0, base.length() - EnumGenerator.OLD_SUFFIX.length());
        EnumType old = context.current().enums().get(enumName);
        EnumType now = context.desired().enums().get(enumName);
        return old != null && now != null && !now.labels().containsAll(old.labels());
    }

    private static Step addHazards(String name, Step step, Column column) {
        String where = name + "." + column.name();
        if (column.isGenerated() && "STORED".equals(column.generatedKind())) {
            step = step.with(Hazard.REWRITES_TABLE, "computes generated column " + where + " for every existing row");
        } else if (column.defaultVolatile()) {
            step = step.with(Hazard.REWRITES_TABLE, "evaluates DEFAULT " + column.defaultExpression() + " for every existing row of " + name);
        } else if (column.identity() != Column.Identity.NONE) {
            step = step.with(Hazard.REWRITES_TABLE, "numbers every existing row of " + name + " in identity column " + column.name());
        }
        if (column.notNull() && column.defaultExpression() == null && !column.isGenerated() && column.identity() == Column.Identity.NONE) {
            step = step.with(Hazard.FAILS_ON_EXISTING_ROWS, "fails unless " + name + " is empty: " + column.name() + " is NOT NULL without a default");
        }
        return step;
    }

    /** A column as {@code CREATE TABLE} and {@code ADD COLUMN} write it. */
    static String definition(Column column) {
        StringBuilder sql = new StringBuilder(Sql.ident(column.name())).append(' ').append(column.type());
        if (column.collation() != null) sql.append(" COLLATE ").append(Sql.ident(column.collation()));
        if (column.isGenerated()) {
            sql.append(" GENERATED ALWAYS AS (").append(column.generatedExpression()).append(") ").append(column.generatedKind());
        }
        if (column.defaultExpression() != null) sql.append(" DEFAULT ").append(column.defaultExpression());
        if (column.notNull()) sql.append(" NOT NULL");
        if (column.identity() != Column.Identity.NONE) sql.append(' ').append(column.identity().sql()).append(IdentityOptions.clause(column.identityOptions()));
        return sql.toString();
    }
}
