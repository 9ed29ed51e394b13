package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans row level security ({@code ENABLE}/{@code FORCE}) and policies. A policy whose roles or
 * expressions change is {@code ALTER POLICY}'d; one whose command or permissiveness changes, that
 * loses its {@code USING} or {@code WITH CHECK} clause, or that reads a column whose type changes
 * or that goes away, is dropped before the tables change and created again after them (PostgreSQL
 * refuses to retype or drop a column a policy reads). Policies and security of dropped tables go
 * with them. On an existing table, enabling, disabling or forcing row level security, and any
 * policy change while it is enabled, changes which rows each role sees: those steps carry
 * {@link Hazard#CHANGES_VISIBLE_ROWS}.
 */
final class RowSecurityGenerator {

    private final Catalog have;
    private final Catalog want;
    private final Set<String> recreated = new TreeSet<>();

    RowSecurityGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
        for (Policy had : have.policies().values()) {
            Policy wanted = want.policies().get(had.key());
            if (wanted == null || !kept(had.table())) continue;
            if (had.permissive() != wanted.permissive() || !had.command().equals(wanted.command())
                    || (had.using() != null && wanted.using() == null) || (had.withCheck() != null && wanted.withCheck() == null)
                    || ViewGenerator.readsChangedColumn(have, want, had.readsColumns())) {
                recreated.add(had.key());
            }
        }
    }

    private boolean kept(String table) {
        return have.tables().containsKey(table) && want.tables().containsKey(table);
    }

    /** Row level security on both sides of {@code table}: its policies change who sees what. */
    private boolean enforcedThroughout(String table) {
        return have.rowSecurity().getOrDefault(table, RowSecurity.NONE).enabled()
                && want.rowSecurity().getOrDefault(table, RowSecurity.NONE).enabled();
    }

    private Step visible(Step step, String table, String why) {
        return enforcedThroughout(table) ? step.with(Hazard.CHANGES_VISIBLE_ROWS, why) : step;
    }

    private static SchemaObject object(Policy policy) {
        return new SchemaObject(SchemaObject.Kind.POLICY, policy.table() + "." + policy.name());
    }

    /** What a policy needs: its table, the columns and the functions its expressions read. */
    private Set<SchemaObject> needs(Policy policy) {
        Set<SchemaObject> needs = new java.util.TreeSet<>(ViewGenerator.reads(policy.readsColumns(), Set.of()));
        needs.add(SchemaObject.table(policy.table()));
        needs.addAll(RoutineGenerator.calledIn(want, policy.using()));
        needs.addAll(RoutineGenerator.calledIn(want, policy.withCheck()));
        return needs;
    }

    /** A policy's drop: before the columns it reads change or go. */
    private static Step dropOf(Policy had) {
        return Step.drop(had.dropSql(), had.table()).on(object(had)).needing(ViewGenerator.reads(had.readsColumns(), Set.of()));
    }

    /** Drops of removed policies and of those created again, before views, columns and tables change. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (Policy had : have.policies().values()) {
            if (!kept(had.table())) continue;
            if (!want.policies().containsKey(had.key())) {
                steps.add(visible(dropOf(had), had.table(),
                        "drops policy " + had.name() + " on " + had.table() + ": the rows it " + (had.permissive() ? "let through" : "held back")
                                + " are " + (had.permissive() ? "hidden" : "let through") + " unless another policy says otherwise"));
            } else if (recreated.contains(had.key())) {
                steps.add(dropOf(had));
            }
        }
        return steps;
    }

    /**
     * Creates and changes of policies, then of row level security, after tables, columns, functions
     * and views (which policies may read): a table's policies are in place before it enforces them.
     */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (Policy wanted : want.policies().values()) {
            Policy had = have.policies().get(wanted.key());
            String on = " policy " + wanted.name() + " on " + wanted.table();
            if (had == null || recreated.contains(wanted.key()) || !kept(wanted.table())) {
                Step create = Step.create(wanted.createSql(), wanted.table()).on(object(wanted)).needing(needs(wanted));
                boolean changes = kept(wanted.table()) && !wanted.equals(had);
                steps.add(changes ? visible(create, wanted.table(), (had == null ? "adds" : "creates again") + on
                        + ", which changes the rows it applies to") : create);
            } else if (!had.equals(wanted)) {
                StringBuilder alter = new StringBuilder("ALTER POLICY " + Sql.ident(wanted.name()) + " ON " + Sql.qualified(wanted.table()));
                if (!had.roles().equals(wanted.roles())) alter.append(wanted.roles().equals(List.of("public")) ? " TO PUBLIC" : wanted.toRoles());
                if (!Objects.equals(had.using(), wanted.using())) alter.append(" USING (").append(wanted.using()).append(')');
                if (!Objects.equals(had.withCheck(), wanted.withCheck())) alter.append(" WITH CHECK (").append(wanted.withCheck()).append(')');
                steps.add(visible(Step.alter(alter.toString(), wanted.table()).on(object(wanted)).needing(needs(wanted)), wanted.table(), "changes" + on + ", and so which rows it applies to"));
            }
        }
        for (String table : want.tables().keySet()) {
            RowSecurity had = have.tables().containsKey(table) ? have.rowSecurity().getOrDefault(table, RowSecurity.NONE) : RowSecurity.NONE;
            RowSecurity wanted = want.rowSecurity().getOrDefault(table, RowSecurity.NONE);
            boolean existing = have.tables().containsKey(table);
            String alter = "ALTER TABLE " + Sql.qualified(table);
            if (had.enabled() != wanted.enabled()) {
                Step step = Step.alter(alter + (wanted.enabled() ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY", table);
                steps.add(existing ? step.with(Hazard.CHANGES_VISIBLE_ROWS, wanted.enabled()
                        ? "enables row level security on " + table + ": roles other than its owner see and change only the rows its policies allow"
                        : "disables row level security on " + table + ": every role with access sees and changes all of its rows") : step);
            }
            if (had.forced() != wanted.forced()) {
                Step step = Step.alter(alter + (wanted.forced() ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY", table);
                steps.add(existing ? step.with(Hazard.CHANGES_VISIBLE_ROWS, wanted.forced()
                        ? "forces row level security on " + table + ": its owner too sees only the rows its policies allow"
                        : "stops forcing row level security on " + table + ": its owner sees all of its rows again") : step);
            }
        }
        return steps;
    }
}
