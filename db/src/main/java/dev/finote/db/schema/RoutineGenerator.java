package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans functions and procedures: added ones are created, changed ones {@code CREATE OR REPLACE}d
 * when PostgreSQL allows it (same kind, result and arguments), otherwise dropped and created again
 * — and with them what uses them: triggers ({@link TriggerGenerator}), views and materialized views
 * ({@link ViewGenerator}), defaults, checks and indexes ({@link RecreatedRoutineDependents}), all
 * from {@link #recreatedSignatures}; removed ones are dropped after everything that could use them, once
 * the release still serving (which may call them) is gone.
 *
 * <p>Dependencies it declares: a routine in a procedural language (PL/pgSQL) is created before
 * the tables, so defaults, checks, indexes and triggers can use it, which is safe because
 * PostgreSQL does not look at the tables a PL/pgSQL body reads until it runs; a SQL-language
 * body is checked against the tables when it is created, so SQL routines are created after
 * tables and columns, except those a column default calls, which the column needs first.
 */
final class RoutineGenerator {

    private final Catalog have;
    private final Catalog want;
    private final Set<String> recreated = new TreeSet<>();

    RoutineGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
        recreated.addAll(recreatedSignatures(have, want));
    }

    /**
     * Signatures of the routines of {@code have} that {@code want} changes in a way
     * {@code CREATE OR REPLACE} refuses (kind, result, argument names or defaults): they are
     * dropped and created again, and whatever uses them with them ({@link RecreatedRoutineDependents}).
     */
    static Set<String> recreatedSignatures(Catalog have, Catalog want) {
        Set<String> signatures = new TreeSet<>();
        have.routines().forEach((signature, had) -> {
            Routine wanted = want.routines().get(signature);
            if (wanted != null && !wanted.equals(had) && !had.replaceableBy(wanted)) signatures.add(signature);
        });
        return signatures;
    }

    /**
     * The routines among {@code signatures} that {@code expression} (a default, a check, an index
     * body, a view's query, a trigger's definition) calls, by name; empty when none.
     */
    static Set<SchemaObject> callsAmong(Set<String> signatures, String expression) {
        if (expression == null || signatures.isEmpty()) return Set.of();
        Set<SchemaObject> called = new TreeSet<>();
        for (String signature : signatures) {
            if (call(signature).matcher(expression).find()) called.add(SchemaObject.routine(signature));
        }
        return called;
    }

    /** {@code name(} of the routine with {@code signature}, not as part of a longer name. */
    private static java.util.regex.Pattern call(String signature) {
        String name = signature.substring(0, signature.indexOf('('));
        return java.util.regex.Pattern.compile("(?<![\\w.])(public\\.)?" + java.util.regex.Pattern.quote(name) + "\\s*\\(");
    }

    /**
     * The routines of {@code catalog} that {@code expression} (a default, a check, an index body)
     * calls, by name, every overload of it: what a step writing the expression needs, declared
     * for {@link StepOrder}. Reads the catalog's text, never the SQL of a step.
     */
    static Set<SchemaObject> calledIn(Catalog catalog, String expression) {
        if (expression == null || catalog.routines().isEmpty()) return Set.of();
        Set<SchemaObject> called = new TreeSet<>();
        for (String signature : catalog.routines().keySet()) {
            if (call(signature).matcher(expression).find()) called.add(SchemaObject.routine(signature));
        }
        return called;
    }

    /** Signatures of routines dropped and created again: whatever runs them must follow. */
    Set<String> recreated() {
        return recreated;
    }

    /** Drops of routines created again under the same signature (after their triggers are dropped). */
    List<Step> dropsBeforeRecreating() {
        return recreated.stream().map(signature -> Step.drop(have.routines().get(signature).dropSql(), null).on(SchemaObject.routine(signature))).toList();
    }

    /**
     * Creates and replaces the tables may need (procedural languages), in signature order. A
     * SQL-language routine comes after the tables it reads; one a column default calls is moved
     * before that column by StepOrder, from the dependency the column's step declares.
     */
    List<Step> createsBeforeTables() {
        return creates(true);
    }

    /** Creates and replaces of the other SQL-language routines, which need the tables. */
    List<Step> createsAfterTables() {
        return creates(false);
    }

    private List<Step> creates(boolean beforeTables) {
        List<Step> steps = new ArrayList<>();
        want.routines().forEach((signature, wanted) -> {
            if (wanted.readsTablesWhenCreated() == beforeTables || wanted.equals(have.routines().get(signature))) return;
            steps.add(Step.create(wanted.definition(), null).on(SchemaObject.routine(signature)));
        });
        return steps;
    }

    /** Removed routines, dropped last; post-deploy, since the release still serving may call them. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        have.routines().forEach((signature, had) -> {
            if (!want.routines().containsKey(signature)) steps.add(Step.drop(had.dropSql(), null).on(SchemaObject.routine(signature)).postDeploy());
        });
        return steps;
    }
}
