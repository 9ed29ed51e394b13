package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plans domains: added ones are created after enums (a domain may be over one) and before
 * functions and tables (which may use it); removed ones are dropped last, post-deploy. A changed
 * domain is altered in place: default set or dropped; NOT NULL dropped, or set (PostgreSQL then
 * scans every column of the domain: {@link Hazard#LOCKS_TABLE}); checks dropped, or added
 * {@code NOT VALID} and then validated ({@link Hazard#VALIDATES_CONSTRAINT}). PostgreSQL cannot
 * change a domain's base type in place, so that is refused, saying what to do.
 */
final class DomainGenerator {

    private final Catalog have;
    private final Catalog want;

    DomainGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
        want.domains().forEach((name, wanted) -> {
            Domain had = have.domains().get(name);
            if (had != null && !had.type().equals(wanted.type())) {
                throw new DatabaseException("domain " + name + " changes its base type from " + had.type() + " to " + wanted.type()
                        + ", which PostgreSQL cannot do in place",
                        "give the new type a new domain name in schema.sql, move the columns to it, and drop the old domain later", null);
            }
        });
    }

    /** Creates and in-place changes, before functions and tables. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        want.domains().forEach((name, wanted) -> {
            int first = steps.size();
            changes(name, wanted, steps);
            // each a change of the domain (columns of it come after, drops of them before), or of one of its checks
            for (int i = first; i < steps.size(); i++) if (steps.get(i).object() == null) steps.set(i, steps.get(i).on(SchemaObject.type(name)));
        });
        return steps;
    }

    private void changes(String name, Domain wanted, List<Step> steps) {
        Domain had = have.domains().get(name);
        if (had == null) {
            steps.add(Step.create(wanted.createSql(), null));
            return;
        }
        if (!Objects.equals(had.defaultExpression(), wanted.defaultExpression())) {
            // a dropped default is post-deploy, as for a column: the release still serving may rely on it
            steps.add(wanted.defaultExpression() == null ? Step.alter(wanted.alterSql("DROP DEFAULT"), null).postDeploy()
                    : Step.alter(wanted.alterSql("SET DEFAULT " + wanted.defaultExpression()), null));
        }
        had.checks().forEach((check, definition) -> {
            if (!definition.equals(wanted.checks().get(check))) {
                steps.add(Step.drop(wanted.alterSql("DROP CONSTRAINT " + Sql.ident(check)), null).on(check(name, check)));
            }
        });
        wanted.checks().forEach((check, definition) -> {
            if (definition.equals(had.checks().get(check))) return;
            steps.add(Step.create(wanted.alterSql("ADD CONSTRAINT " + Sql.ident(check) + " " + definition + " NOT VALID"), null)
                    .on(check(name, check)).needing(RoutineGenerator.calledIn(want, definition)).needing(List.of(SchemaObject.type(name))));
            steps.add(Step.alter(wanted.alterSql("VALIDATE CONSTRAINT " + Sql.ident(check)), null).on(check(name, check))
                    .needing(List.of(check(name, check)))
                    .with(Hazard.VALIDATES_CONSTRAINT, "scans every column of domain " + name + " to check " + check));
        });
        if (had.notNull() && !wanted.notNull()) steps.add(Step.alter(wanted.alterSql("DROP NOT NULL"), null));
        if (!had.notNull() && wanted.notNull()) {
            steps.add(Step.alter(wanted.alterSql("SET NOT NULL"), null).postDeploy()
                    .with(Hazard.LOCKS_TABLE, "scans every column of domain " + name + " for NULLs while it locks their tables"));
        }
    }

    /** Check {@code check} of domain {@code domain}. */
    private static SchemaObject check(String domain, String check) {
        return new SchemaObject(SchemaObject.Kind.CONSTRAINT, domain + "." + check);
    }

    /** Removed domains, after the columns and functions that used them; post-deploy. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        have.domains().forEach((name, had) -> {
            if (!want.domains().containsKey(name)) steps.add(Step.drop("DROP DOMAIN " + Sql.qualified(name), null).on(SchemaObject.type(name)).postDeploy());
        });
        return steps;
    }
}
