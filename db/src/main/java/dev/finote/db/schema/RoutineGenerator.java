package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans functions and procedures: added ones are created, changed ones {@code CREATE OR REPLACE}d
 * when PostgreSQL allows it (same kind, result and arguments), otherwise dropped and created again
 * — and then the triggers that run them with them ({@link #recreated()}, for
 * {@link TriggerGenerator}); removed ones are dropped after everything that could use them, once
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
        have.routines().forEach((signature, had) -> {
            Routine wanted = want.routines().get(signature);
            if (wanted != null && !wanted.equals(had) && !had.replaceableBy(wanted)) recreated.add(signature);
        });
        for (String signature : recreated) {
            List<String> users = usersOtherThanTriggers(signature.substring(0, signature.indexOf('(')));
            if (!users.isEmpty()) {
                throw new DatabaseException("function " + signature + " must be dropped and created again (its result or arguments change),"
                        + " but " + String.join(", ", users) + " use it, which PostgreSQL refuses to drop with it",
                        "keep the old function in schema.sql, add the new one under another name, move " + String.join(", ", users)
                                + " to it, and drop the old one in a later change", null);
            }
        }
    }

    /** Defaults, checks, indexes and views of the current schema whose text calls {@code name(…)}. */
    private List<String> usersOtherThanTriggers(String name) {
        java.util.regex.Pattern call = java.util.regex.Pattern.compile("(?<![\\w.])(public\\.)?" + java.util.regex.Pattern.quote(name) + "\\s*\\(");
        List<String> users = new ArrayList<>();
        for (Table table : have.tables().values()) {
            table.columns().values().forEach(column -> {
                if (column.defaultExpression() != null && call.matcher(column.defaultExpression()).find()) {
                    users.add("the default of " + table.name() + "." + column.name());
                }
            });
            table.checks().values().forEach(check -> {
                if (call.matcher(check.definition()).find()) users.add("check " + check.name() + " on " + table.name());
            });
            table.indexes().values().forEach(index -> {
                if (call.matcher(index.body()).find()) users.add("index " + index.name());
            });
        }
        have.views().values().forEach(view -> {
            if (call.matcher(view.definition()).find()) users.add("view " + view.name());
        });
        return users;
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
            String name = signature.substring(0, signature.indexOf('('));
            if (java.util.regex.Pattern.compile("(?<![\\w.])(public\\.)?" + java.util.regex.Pattern.quote(name) + "\\s*\\(")
                    .matcher(expression).find()) {
                called.add(SchemaObject.routine(signature));
            }
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
