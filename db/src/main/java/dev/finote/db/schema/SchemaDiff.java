package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Plans the statements that take a database whose schema is {@code current} to {@code desired}:
 * it runs one generator per object kind, collects their steps and has {@link StepOrder} sort them.
 *
 * <p>Each generator plans its kind (add, drop, change) and declares, per step, the object it
 * creates, changes, renames or drops and the objects that step needs ({@link Step#object()},
 * {@link Step#needs()}); the order of the plan comes from those declarations alone
 * ({@link StepOrder}). The steps are collected in a fixed order (roughly: renames, removals,
 * additions, what nothing uses any more), which only breaks ties, so that the same schemas always
 * give the same plan, readable top to bottom. Changes to existing tables use PostgreSQL's online
 * forms: indexes built and dropped {@code CONCURRENTLY}, unique and primary keys attached to a
 * concurrently built index, foreign keys and checks added {@code NOT VALID} then validated, all
 * under a bounded {@code lock_timeout} ({@link Step#lockTimeout()}, written by the renderers).
 *
 * <p>Known limits: column order is not reproduced (PostgreSQL appends added columns); a new
 * enum value cannot be used in the same transaction that adds it (PostgreSQL's rule), so such a
 * plan must run through {@link PlanRunner}, which commits after {@code ADD VALUE}, or as two
 * migrations.
 */
public final class SchemaDiff {

    /** How long a step that touches what exists may wait for a lock: failing beats queueing the service behind it. */
    static final java.time.Duration LOCK_TIMEOUT = java.time.Duration.ofSeconds(5);

    private SchemaDiff() {
    }

    /**
     * The plan from {@code current} to {@code desired}; empty exactly when the catalogs are equal.
     *
     * @throws IllegalArgumentException when a declared rename does not match the two catalogs
     */
    public static Plan plan(Catalog current, Catalog desired, DiffOptions options) {
        return plan(current, desired, options, UnaryOperator.identity());
    }

    /**
     * As {@link #plan(Catalog, Catalog, DiffOptions)}, with the steps handed to {@link StepOrder}
     * in the order {@code inputOrder} gives them: tests shuffle it to prove the order comes from
     * the declared dependencies alone.
     */
    static Plan plan(Catalog current, Catalog desired, DiffOptions options, UnaryOperator<List<Step>> inputOrder) {
        List<Step> renames = new ArrayList<>();
        Catalog renamed = Renamer.renameOwnedSequences(Renamer.apply(current, desired, options, renames), desired, renames);
        // what uses a function that must be dropped and created again is taken out of its way, then planned from B again
        RecreatedRoutineDependents dependents = new RecreatedRoutineDependents(renamed, desired);
        DiffContext context = DiffContext.of(dependents.currentWithout(), desired);
        List<Step> steps = new ArrayList<>();
        // a renamed table or column is gone for the release still serving: post-deploy
        renames.forEach(step -> steps.add(step.postDeploy()));
        steps.addAll(generate(context, dependents));
        // GRANT and REVOKE wait for no lock on their object; a step on no table that creates waits for none either
        boolean touchesExisting = steps.stream().anyMatch(step -> step.table() != null
                ? !context.created().contains(step.table()) : !(step.action() == Action.CREATE && !addsToExisting(step)) && !step.action().changesPrivileges());
        if (touchesExisting) steps.replaceAll(step -> step.withLockTimeout(LOCK_TIMEOUT));
        steps.replaceAll(step -> step.action() == Action.DROP ? step.needingOnly(step.needs().stream().map(need -> renamed(need, options)).toList()) : step);
        return new Plan(StepOrder.sort(inputOrder.apply(steps)));
    }

    /** The steps of every generator, in the order that breaks ties. */
    private static List<Step> generate(DiffContext context, RecreatedRoutineDependents dependents) {
        Catalog have = context.have();
        Catalog desired = context.desired();
        RoutineGenerator routines = new RoutineGenerator(have, desired);
        TriggerGenerator triggers = new TriggerGenerator(have, desired, routines.recreated());
        ViewGenerator views = new ViewGenerator(have, desired);
        MaterializedViewGenerator materializedViews = new MaterializedViewGenerator(have, desired, views);
        RowSecurityGenerator rowSecurity = new RowSecurityGenerator(have, desired);
        PartitionGenerator partitions = new PartitionGenerator(have, desired);
        DomainGenerator domains = new DomainGenerator(have, desired);
        SchemaGenerator schemas = new SchemaGenerator(have, desired);
        Set<String> recreatedViews = new TreeSet<>(views.recreated()); // after MaterializedViewGenerator added the views over its drops
        recreatedViews.addAll(materializedViews.recreated());
        GrantGenerator grants = new GrantGenerator(have, desired, recreatedViews, routines.recreated());
        ExtensionGenerator extensions = new ExtensionGenerator(have, desired);
        EnumGenerator enums = new EnumGenerator(context);
        SequenceGenerator sequences = new SequenceGenerator(context);
        TableGenerator tables = new TableGenerator(context);
        ColumnGenerator columns = new ColumnGenerator(context);
        ConstraintGenerator constraints = new ConstraintGenerator(context);
        IndexGenerator indexes = new IndexGenerator(context);
        ForeignKeyGenerator foreignKeys = new ForeignKeyGenerator(context);
        CommentGenerator comments = new CommentGenerator(context);

        List<Step> steps = new ArrayList<>();
        // removals
        steps.addAll(rowSecurity.drops());
        steps.addAll(materializedViews.drops()); // views and materialized views
        steps.addAll(triggers.drops());
        steps.addAll(routines.dropsBeforeRecreating());
        steps.addAll(partitions.drops());
        steps.addAll(foreignKeys.drops());
        steps.addAll(tables.cycleCuts());
        steps.addAll(sequences.disowns());
        steps.addAll(tables.drops());
        for (KeptTable kept : context.keptInOrder()) {
            steps.addAll(constraints.dropChecks(kept));
            steps.addAll(indexes.drops(kept));
            steps.addAll(constraints.dropKeys(kept));
        }
        steps.addAll(columns.drops());
        for (KeptTable kept : context.keptInOrder()) {
            steps.addAll(constraints.renames(kept));
            steps.addAll(indexes.renames(kept));
        }
        // a recreated function's dependents: dropped last among the removals and created first among the
        // additions, next to the function's drop and create, in one transaction when they can
        steps.addAll(dependents.drops());
        steps.addAll(dependents.creates());
        // additions
        steps.addAll(schemas.creates());
        steps.addAll(extensions.creates());
        steps.addAll(enums.creates());
        steps.addAll(domains.creates());
        steps.addAll(sequences.creates());
        steps.addAll(routines.createsBeforeTables());
        steps.addAll(tables.creates());
        steps.addAll(columns.creates());
        steps.addAll(partitions.creates());
        steps.addAll(routines.createsAfterTables().stream().map(create -> afterWhatItReads(create, desired)).toList());
        steps.addAll(materializedViews.creates()); // views and materialized views
        steps.addAll(rowSecurity.creates());
        steps.addAll(constraints.creates());
        steps.addAll(indexes.creates());
        steps.addAll(foreignKeys.creates());
        steps.addAll(sequences.ownerships());
        steps.addAll(triggers.creates());
        steps.addAll(comments.creates());
        steps.addAll(grants.creates());
        // what nothing uses any more
        steps.addAll(grants.revokes());
        steps.addAll(routines.drops());
        steps.addAll(domains.drops());
        steps.addAll(sequences.drops());
        steps.addAll(enums.drops());
        steps.addAll(extensions.drops());
        steps.addAll(schemas.drops());
        return steps;
    }

    /**
     * A SQL routine's create, after the tables and views its body names: PostgreSQL checks the
     * body when it creates it. Read from the catalog's definition, never from the step's SQL.
     */
    private static Step afterWhatItReads(Step create, Catalog desired) {
        Routine routine = desired.routines().get(create.object().name());
        if (routine == null) return create;
        Set<SchemaObject> read = new TreeSet<>();
        java.util.function.Predicate<String> named = relation -> java.util.regex.Pattern.compile(
                "(?<![\\w$])" + java.util.regex.Pattern.quote(relation.substring(relation.indexOf('.') + 1)) + "(?![\\w$])")
                .matcher(routine.definition()).find();
        desired.tables().keySet().stream().filter(named).forEach(table -> read.add(SchemaObject.table(table)));
        desired.views().keySet().stream().filter(named).forEach(view -> read.add(SchemaObject.view(view)));
        desired.materializedViews().keySet().stream().filter(named).forEach(view -> read.add(SchemaObject.view(view)));
        return create.needing(read);
    }

    /** A step that creates a part of a type that exists (an enum's label, a domain's check): it changes that type. */
    private static boolean addsToExisting(Step step) {
        return step.object() != null && (step.object().kind() == SchemaObject.Kind.LABEL || step.object().kind() == SchemaObject.Kind.CONSTRAINT);
    }

    /**
     * {@code object} under the name the declared renames give it. What a drop used is read from the
     * database's catalog, where some of it (the columns a view reads) still goes by its old name.
     */
    private static SchemaObject renamed(SchemaObject object, DiffOptions options) {
        if (object.kind() == SchemaObject.Kind.TABLE) return SchemaObject.table(options.tableRenames().getOrDefault(object.name(), object.name()));
        if (object.kind() != SchemaObject.Kind.COLUMN) return object;
        int dot = object.name().lastIndexOf('.');
        String table = options.tableRenames().getOrDefault(object.name().substring(0, dot), object.name().substring(0, dot));
        String column = object.name().substring(dot + 1);
        return SchemaObject.column(table, options.columnRenames().getOrDefault(table + "." + column, column));
    }
}
