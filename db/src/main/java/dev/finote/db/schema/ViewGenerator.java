package dev.finote.db.schema;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans views. PostgreSQL refuses to change the type of, or drop, a column a view reads, and
 * {@code CREATE OR REPLACE VIEW} cannot change a view's columns; so a view is dropped before the
 * tables change and created again after them when its query changes, when it reads a column whose
 * type changes or that goes away, when it reads a view that is dropped, or when it calls a function
 * that is dropped and created again ({@link RoutineGenerator#recreatedSignatures}). Dependents are dropped
 * first and created last (from {@code pg_depend}). Added views are created after tables, columns
 * and functions; removed ones are dropped once the release still serving (which may read them) is
 * gone. This generator decides which views go and come back; {@link MaterializedViewGenerator}
 * orders them together with materialized views, since either may read the other.
 */
final class ViewGenerator {

    private final Catalog have;
    private final Catalog want;
    private final Set<String> recreated = new TreeSet<>();
    private final Set<String> removed = new TreeSet<>();

    ViewGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
        Set<String> recreatedRoutines = RoutineGenerator.recreatedSignatures(have, want);
        for (View had : have.views().values()) {
            View wanted = want.views().get(had.name());
            if (wanted == null) removed.add(had.name());
            else if (!wanted.definition().equals(had.definition()) || readsChangedColumn(have, want, had.readsColumns())
                    || !RoutineGenerator.callsAmong(recreatedRoutines, had.definition()).isEmpty()) { // PostgreSQL will not drop a function a view calls
                recreated.add(had.name());
            }
        }
        grow();
    }

    private void grow() {
        boolean grew = true;
        while (grew) { // a view over a dropped view must go first, and come back after it
            grew = false;
            for (View had : have.views().values()) {
                if (recreated.contains(had.name()) || removed.contains(had.name())) continue;
                if (had.readsViews().stream().anyMatch(read -> recreated.contains(read) || removed.contains(read))) {
                    grew |= recreated.add(had.name());
                }
            }
        }
    }

    /** Materialized views both sides have that call a function dropped and created again: they must be too. */
    Set<String> materializedViewsCallingRecreatedRoutines() {
        Set<String> recreatedRoutines = RoutineGenerator.recreatedSignatures(have, want);
        Set<String> names = new TreeSet<>();
        have.materializedViews().forEach((name, had) -> {
            if (want.materializedViews().containsKey(name) && !RoutineGenerator.callsAmong(recreatedRoutines, had.definition()).isEmpty()) names.add(name);
        });
        return names;
    }

    /** Views dropped and created again (they lose their grants). */
    Set<String> recreated() {
        return java.util.Collections.unmodifiableSet(recreated);
    }

    /** Drops view {@code name} and creates it again (it reads a materialized view that is dropped), with the views over it; true if that is new. */
    boolean recreate(String name) {
        if (recreated.contains(name) || removed.contains(name)) return false;
        recreated.add(name);
        grow();
        return true;
    }

    /** The views this change creates, new or again. */
    Set<String> created() {
        Set<String> names = new TreeSet<>(recreated);
        want.views().keySet().stream().filter(name -> !have.views().containsKey(name)).forEach(names::add);
        return names;
    }

    /** The drop of view {@code name}: after the rollout when it is removed. */
    Step drop(String name) {
        View had = have.views().get(name);
        Step drop = Step.drop(had.dropSql(), null).on(SchemaObject.view(name)).needing(reads(had.readsColumns(), had.readsViews()))
                .needing(RoutineGenerator.calledIn(have, had.definition())); // before a function it calls is dropped
        return removed.contains(name) ? drop.postDeploy() : drop;
    }

    /** The create of view {@code name}. */
    Step create(String name) {
        View wanted = want.views().get(name);
        return Step.create(wanted.definition(), null).on(SchemaObject.view(name)).needing(reads(wanted.readsColumns(), wanted.readsViews()))
                .needing(RoutineGenerator.calledIn(want, wanted.definition())); // after the functions it calls
    }

    /** What a view or materialized view reading these needs: created after them, dropped before they go or change. */
    static Set<SchemaObject> reads(Collection<String> columns, Collection<String> views) {
        Set<SchemaObject> needs = new TreeSet<>();
        columns.forEach(column -> needs.add(new SchemaObject(SchemaObject.Kind.COLUMN, column)));
        views.forEach(view -> needs.add(SchemaObject.view(view)));
        return needs;
    }

    /** The views this change drops, whether or not they come back. */
    Set<String> dropped() {
        Set<String> names = new TreeSet<>(recreated);
        names.addAll(removed);
        return names;
    }

    /**
     * Whether any of {@code reads} ({@code table.column}, as a view, materialized view or policy
     * reads it) names a column that goes away or whose type changes: PostgreSQL refuses that
     * change while the reader exists, so the reader is dropped and created around it.
     */
    static boolean readsChangedColumn(Catalog have, Catalog want, Collection<String> reads) {
        for (String read : reads) {
            int dot = columnDot(have, want, read);
            Table before = have.table(read.substring(0, dot));
            Table after = want.table(read.substring(0, dot));
            String column = read.substring(dot + 1);
            if (before == null || after == null || before.column(column) == null || after.column(column) == null) return true;
            if (!Objects.equals(before.column(column).type(), after.column(column).type())) return true;
            // a new collation is a type change to PostgreSQL too (ALTER COLUMN … TYPE … COLLATE)
            if (!Objects.equals(before.column(column).collation(), after.column(column).collation())) return true;
            // a generated column whose expression changes is dropped and added back
            if (!Objects.equals(before.column(column).generatedExpression(), after.column(column).generatedExpression())) return true;
        }
        return false;
    }

    /** Where the column starts in {@code read}: a table outside public is keyed {@code schema.table}, so its column follows the second dot. */
    private static int columnDot(Catalog have, Catalog want, String read) {
        int dot = read.indexOf('.');
        int second = read.indexOf('.', dot + 1);
        if (second > 0 && (have.table(read.substring(0, second)) != null || want.table(read.substring(0, second)) != null)) dot = second;
        return dot;
    }
}
