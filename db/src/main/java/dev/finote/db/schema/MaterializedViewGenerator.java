package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans materialized views and their indexes. Like a view, a materialized view cannot follow a
 * change of its query or of a column it reads: it is dropped before the tables change and created
 * again (filled by its query) after them and after the views it reads, and with it its indexes.
 * A removed one is dropped once the release still serving is gone, which loses its rows. Indexes
 * of a kept materialized view are built and dropped {@code CONCURRENTLY}, as a table's.
 *
 * <p>Views and materialized views may read each other, so this generator also orders the views
 * {@link ViewGenerator} drops and creates: all of them are dropped dependents first and created
 * dependencies first in one order, and a view over a materialized view that is dropped is dropped
 * and created again too.
 */
final class MaterializedViewGenerator {

    private final Catalog have;
    private final Catalog want;
    private final Set<String> recreated = new TreeSet<>();
    private final Set<String> removed = new TreeSet<>();

    private final ViewGenerator views;

    MaterializedViewGenerator(Catalog have, Catalog want, ViewGenerator views) {
        this.have = have;
        this.want = want;
        this.views = views;
        for (MaterializedView had : have.materializedViews().values()) {
            MaterializedView wanted = want.materializedViews().get(had.name());
            if (wanted == null) removed.add(had.name());
            else if (!wanted.definition().equals(had.definition()) || ViewGenerator.readsChangedColumn(have, want, had.readsColumns())) recreated.add(had.name());
        }
        recreated.addAll(views.materializedViewsCallingRecreatedRoutines()); // PostgreSQL will not drop a function one calls
        boolean grew = true;
        while (grew) { // whatever reads a dropped view or materialized view must go first, and come back after it
            grew = false;
            Set<String> dropped = dropped();
            for (MaterializedView had : have.materializedViews().values()) {
                if (!dropped.contains(had.name()) && had.readsViews().stream().anyMatch(dropped::contains)) grew |= recreated.add(had.name());
            }
            for (View had : have.views().values()) {
                if (!dropped.contains(had.name()) && had.readsViews().stream().anyMatch(dropped::contains)) grew |= views.recreate(had.name());
            }
        }
    }

    /** Views and materialized views this change drops. */
    private Set<String> dropped() {
        Set<String> names = new TreeSet<>(views.dropped());
        names.addAll(recreated);
        names.addAll(removed);
        return names;
    }

    /** Materialized views dropped and created again (they lose their grants). */
    Set<String> recreated() {
        return java.util.Collections.unmodifiableSet(recreated);
    }

    /**
     * Drops of materialized views created again (they come back in the same change) and of
     * removed ones (post-deploy: they lose their rows), dependents first; then the index drops
     * of kept ones. Before the views they read are dropped.
     */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (String name : ordered(have, dropped(), true)) {
            MaterializedView view = have.materializedViews().get(name);
            if (view == null) {
                steps.add(views.drop(name));
                continue;
            }
            Step drop = Step.drop(view.dropSql(), null).on(SchemaObject.view(name))
                    .needing(ViewGenerator.reads(view.readsColumns(), view.readsViews()))
                    .needing(RoutineGenerator.calledIn(have, view.definition())); // before a function it calls is dropped
            steps.add(removed.contains(view.name())
                    ? drop.with(Hazard.DELETES_DATA, "drops materialized view " + view.name() + " and the rows it holds").postDeploy()
                    : drop);
        }
        for (MaterializedView had : have.materializedViews().values()) {
            MaterializedView wanted = want.materializedViews().get(had.name());
            if (wanted == null || recreated.contains(had.name())) continue;
            for (Index index : had.indexes().values()) {
                if (!index.equals(wanted.indexes().get(index.name()))) {
                    steps.add(Step.drop("DROP INDEX CONCURRENTLY " + Sql.schemaPrefix(had.name()) + Sql.ident(index.name()), null).concurrently()
                            .on(SchemaObject.index(index.name())));
                }
            }
        }
        return steps;
    }

    /**
     * Creates of added and recreated materialized views with their indexes, dependencies first,
     * after tables, columns, functions and views; then the concurrent index builds on kept ones.
     */
    List<Step> creates() {
        Set<String> names = new TreeSet<>(recreated);
        want.materializedViews().keySet().stream().filter(name -> !have.materializedViews().containsKey(name)).forEach(names::add);
        names.addAll(views.created());
        List<Step> steps = new ArrayList<>();
        for (String name : ordered(want, names, false)) {
            MaterializedView view = want.materializedViews().get(name);
            if (view == null) {
                steps.add(views.create(name));
                continue;
            }
            Step create = Step.create(view.definition(), null).on(SchemaObject.view(name))
                    .needing(ViewGenerator.reads(view.readsColumns(), view.readsViews()))
                    .needing(RoutineGenerator.calledIn(want, view.definition())); // after the functions it calls
            steps.add(recreated.contains(view.name())
                    ? create.with(Hazard.REBUILDS_MATERIALIZED_VIEW, "drops and creates materialized view " + view.name()
                            + " again: its readers wait while its query reads every row it selects")
                    : create);
            for (Index index : view.indexes().values()) {
                steps.add(Step.create(index.createSql(view.name(), false), null).on(SchemaObject.index(index.name()))
                        .needing(List.of(SchemaObject.view(view.name()))));
            }
        }
        for (MaterializedView wanted : want.materializedViews().values()) {
            MaterializedView had = have.materializedViews().get(wanted.name());
            if (had == null || recreated.contains(wanted.name())) continue;
            for (Index index : wanted.indexes().values()) {
                if (!index.equals(had.indexes().get(index.name()))) {
                    steps.add(Step.create(index.createSql(wanted.name(), true), null).concurrently().on(SchemaObject.index(index.name()))
                            .needing(List.of(SchemaObject.view(wanted.name()))).with(Hazard.BUILDS_INDEX,
                            "builds index " + index.name() + " on materialized view " + wanted.name()
                                    + " without blocking reads (outside a transaction)"));
                }
            }
        }
        return steps;
    }

    /** {@code names} of {@code catalog}'s views and materialized views, each after those it reads (or before, when {@code dependentsFirst}). */
    private static List<String> ordered(Catalog catalog, Set<String> names, boolean dependentsFirst) {
        LinkedHashSet<String> done = new LinkedHashSet<>();
        for (String name : names) visit(catalog, name, names, done, new TreeSet<>());
        List<String> result = new ArrayList<>(done);
        if (dependentsFirst) Collections.reverse(result);
        return result;
    }

    private static void visit(Catalog catalog, String name, Set<String> names, Set<String> done, Set<String> path) {
        if (done.contains(name) || !path.add(name)) return;
        MaterializedView materialized = catalog.materializedViews().get(name);
        Set<String> reads = materialized != null ? materialized.readsViews() : catalog.views().get(name).readsViews();
        for (String read : reads) {
            if (names.contains(read)) visit(catalog, read, names, done, path);
        }
        done.add(name);
    }
}
