package dev.finote.db.schema;

import dev.finote.db.schema.RandomSchema.ColSpec;
import dev.finote.db.schema.RandomSchema.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static dev.finote.db.schema.RandomSchema.q;

/**
 * The objects over a {@link RandomSchema}'s tables, for the round-trip property test: views (one
 * over another now and then), materialized views with an index, SQL and PL/pgSQL functions (with
 * an overload, called by a check, an expression index or a column default), a procedure,
 * triggers and their functions, row level security with policies, partitioned tables with
 * partitions, and grants to {@link #ROLE}; materialized views, row level security and
 * partitioned tables in the other schemas too.
 * Each object refers to tables and columns by their stable keys, so a renamed or retyped column
 * is followed and a dropped one drops (or narrows) what used it in B.
 */
final class RandomObjects {

    /** The role the grants and policies name; roles belong to the server, {@link RoundTrip} creates it. */
    static final String ROLE = "finote_prop_reader";

    /**
     * A spec: its fields copied one for one by {@link #copy()}; a spec holding lists copies them too
     * (its override), so that B may change its copy without touching A's.
     */
    abstract static class Spec<T extends Spec<T>> implements Cloneable {
        @SuppressWarnings("unchecked")
        T copy() {
            try {
                return (T) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static final class FunctionSpec extends Spec<FunctionSpec> {
        String schema;
        String name;
        int factor;             // the body: a * factor
        boolean bigint;         // the return type: bigint instead of integer (a change drops and recreates it)
        boolean plpgsql;
        boolean overload;       // also name(text) returning text
        boolean procedure;      // a procedure, not a function (never used by a check)
        boolean defaultInA;     // A has a column default calling it: a new result type is refused when B also drops that column or table (after the rollout, by design)

        String ref() {
            return schema == null ? q(name) : q(schema) + "." + q(name);
        }
    }

    static final class TriggerFunctionSpec extends Spec<TriggerFunctionSpec> {
        String schema;
        String name;
        int variant;            // in the body: a change is CREATE OR REPLACE

        String ref() {
            return schema == null ? q(name) : q(schema) + "." + q(name);
        }
    }

    static final class TriggerSpec extends Spec<TriggerSpec> {
        String name;
        int tableKey;
        String function;
        String event;           // BEFORE UPDATE, BEFORE INSERT OR UPDATE, AFTER DELETE
        Integer whenBound;      // WHEN (NEW.id > n) / (OLD.id > n), or null
    }

    static final class ViewSpec extends Spec<ViewSpec> {
        String name;
        int tableKey;
        List<Integer> cols = new ArrayList<>();
        int bound;              // WHERE id > bound
        String overView;        // null, or the view this one selects from (then tableKey is that view's)

        @Override
        ViewSpec copy() {
            ViewSpec copy = super.copy();
            copy.cols = new ArrayList<>(cols);
            return copy;
        }
    }

    static final class MatViewSpec extends Spec<MatViewSpec> {
        String name;
        int tableKey;
        List<Integer> cols = new ArrayList<>();
        boolean hasIndex;
        boolean uniqueIndex;

        @Override
        MatViewSpec copy() {
            MatViewSpec copy = super.copy();
            copy.cols = new ArrayList<>(cols);
            return copy;
        }
    }

    static final class PolicySpec extends Spec<PolicySpec> {
        String name;
        String command;         // ALL, SELECT, UPDATE, DELETE
        boolean toRole;         // TO ROLE, else TO PUBLIC
        boolean restrictive;
        int bound;              // USING (id > bound …)
        Integer colKey;         // … AND col IS NOT NULL
    }

    static final class RowSecuritySpec extends Spec<RowSecuritySpec> {
        int tableKey;
        boolean enabled;
        boolean force;
        List<PolicySpec> policies = new ArrayList<>();

        @Override
        RowSecuritySpec copy() {
            RowSecuritySpec copy = super.copy();
            copy.policies = new ArrayList<>(policies.stream().map(PolicySpec::copy).toList());
            return copy;
        }
    }

    static final class PartitionedSpec extends Spec<PartitionedSpec> {
        String schema;          // null: public
        String name;
        List<Integer> years = new ArrayList<>();
        boolean index;
        boolean extraColumn;

        /** {@code name} (its own, or a partition's) in this table's schema. */
        String ref(String name) {
            return schema == null ? q(name) : q(schema) + "." + q(name);
        }

        @Override
        PartitionedSpec copy() {
            PartitionedSpec copy = super.copy();
            copy.years = new ArrayList<>(years);
            return copy;
        }
    }

    /** A check ({@code CHECK (f(id) > -100)}), an expression index or a column's default calling a function. */
    static final class FunctionUse extends Spec<FunctionUse> {
        String kind;            // CHECK, INDEX, DEFAULT (a column of its own, named as the use)
        String name;
        int tableKey;
        String function;
    }

    /** kind TABLE (target: a table's key), VIEW, MATVIEW, SEQUENCE (its key), FUNCTION, PROCEDURE, SCHEMA: by name. */
    static final class GrantSpec extends Spec<GrantSpec> {
        String kind;
        String target;
        String privileges;
    }

    private final RandomSchema schema;
    final List<FunctionSpec> functions = new ArrayList<>();
    final List<TriggerFunctionSpec> triggerFunctions = new ArrayList<>();
    final List<TriggerSpec> triggers = new ArrayList<>();
    final List<ViewSpec> views = new ArrayList<>();
    final List<MatViewSpec> matViews = new ArrayList<>();
    final List<RowSecuritySpec> rowSecurity = new ArrayList<>();
    final List<PartitionedSpec> partitioned = new ArrayList<>();
    final List<FunctionUse> functionUses = new ArrayList<>();
    final List<GrantSpec> grants = new ArrayList<>();

    RandomObjects(RandomSchema schema) {
        this.schema = schema;
    }

    // ---------------------------------------------------------------- generation

    /** A few of each kind over the schema's tables (which exist by now). */
    void generate() {
        for (int i = 0, n = 1 + schema.random.nextInt(2); i < n; i++) addFunction();
        if (schema.random.nextBoolean()) addFunctionUse();
        addTrigger();
        for (int i = 0, n = 1 + schema.random.nextInt(2); i < n; i++) addView();
        if (schema.random.nextBoolean()) addView(); // perhaps over the first
        addMatView();
        addRowSecurity();
        if (schema.random.nextBoolean()) addPartitioned();
        for (int i = 0, n = 1 + schema.random.nextInt(3); i < n; i++) addGrant();
    }

    private int key() {
        return schema.key();
    }

    private boolean chance(int oneIn) {
        return schema.random.nextInt(oneIn) == 0;
    }

    private <T> T pick(List<T> list) {
        return schema.pick(list);
    }

    private void addFunction() {
        FunctionSpec f = new FunctionSpec();
        f.schema = schema.pickSchema();
        f.name = "f" + key();
        f.factor = 2 + schema.random.nextInt(5);
        f.bigint = chance(3);
        f.plpgsql = chance(2);
        f.overload = chance(2);
        f.procedure = chance(5);
        functions.add(f);
    }

    private void addFunctionUse() {
        List<FunctionSpec> usable = functions.stream().filter(f -> !f.procedure).toList();
        if (usable.isEmpty() || schema.tables.isEmpty()) return;
        FunctionUse use = new FunctionUse();
        use.kind = pick(List.of("CHECK", "INDEX", "DEFAULT"));
        use.name = "uses_f" + key();
        use.tableKey = pick(schema.tables).key;
        use.function = pick(usable).name;
        functionUses.add(use);
    }

    private void addTrigger() {
        if (schema.tables.isEmpty()) return;
        TriggerFunctionSpec function = triggerFunctions.isEmpty() || chance(3) ? null : pick(triggerFunctions);
        if (function == null) {
            function = new TriggerFunctionSpec();
            function.schema = schema.pickSchema();
            function.name = "touch" + key();
            function.variant = 1;
            triggerFunctions.add(function);
        }
        TriggerSpec trigger = new TriggerSpec();
        trigger.name = "trg" + key();
        trigger.tableKey = pick(schema.tables).key;
        trigger.function = function.name;
        trigger.event = pick(List.of("BEFORE UPDATE", "BEFORE INSERT OR UPDATE", "AFTER DELETE"));
        if (chance(2)) trigger.whenBound = schema.random.nextInt(3);
        triggers.add(trigger);
    }

    private void addView() {
        ViewSpec view = new ViewSpec();
        view.name = "v" + key();
        view.bound = schema.random.nextInt(3);
        if (!views.isEmpty() && chance(2)) {
            view.overView = pick(views).name;
            views.add(view);
            return;
        }
        if (schema.tables.isEmpty()) return;
        TableSpec table = pick(schema.tables);
        view.tableKey = table.key;
        for (ColSpec c : table.cols) if (chance(2)) view.cols.add(c.key);
        views.add(view);
    }

    private void addMatView() {
        List<TableSpec> tables = schema.tables; // in the schema of the table it reads
        if (tables.isEmpty()) return;
        TableSpec table = pick(tables);
        MatViewSpec view = new MatViewSpec();
        view.name = "mv" + key();
        view.tableKey = table.key;
        for (ColSpec c : table.cols) if (chance(2)) view.cols.add(c.key);
        view.hasIndex = !chance(4);
        view.uniqueIndex = chance(2);
        matViews.add(view);
    }

    private void addRowSecurity() {
        List<TableSpec> tables = schema.tables.stream().filter(t -> rowSecurityOf(t.key) == null).toList();
        if (tables.isEmpty()) return;
        RowSecuritySpec rls = new RowSecuritySpec();
        rls.tableKey = pick(tables).key;
        rls.enabled = !chance(4);
        rls.force = chance(3);
        addPolicy(rls);
        rowSecurity.add(rls);
    }

    private void addPolicy(RowSecuritySpec rls) {
        PolicySpec policy = new PolicySpec();
        policy.name = "pol" + key();
        policy.command = pick(List.of("ALL", "SELECT", "UPDATE", "DELETE"));
        policy.toRole = chance(2);
        policy.restrictive = chance(4);
        policy.bound = schema.random.nextInt(3);
        TableSpec table = schema.table(rls.tableKey);
        if (table != null && !table.cols.isEmpty() && chance(2)) policy.colKey = pick(table.cols).key;
        rls.policies.add(policy);
    }

    private void addPartitioned() {
        PartitionedSpec p = new PartitionedSpec();
        p.schema = schema.pickSchema();
        p.name = "pt" + key();
        int first = 2023 + schema.random.nextInt(2);
        for (int i = 0, n = 1 + schema.random.nextInt(3); i < n; i++) p.years.add(first + i);
        p.index = chance(2);
        p.extraColumn = chance(3);
        partitioned.add(p);
    }

    private void addGrant() {
        GrantSpec grant = new GrantSpec();
        List<String> kinds = new ArrayList<>(List.of("TABLE", "TABLE"));
        if (!views.isEmpty()) kinds.add("VIEW");
        if (!matViews.isEmpty()) kinds.add("MATVIEW");
        if (!schema.sequences.isEmpty()) kinds.add("SEQUENCE");
        if (functions.stream().anyMatch(f -> !f.procedure)) kinds.add("FUNCTION");
        if (functions.stream().anyMatch(f -> f.procedure)) kinds.add("PROCEDURE");
        if (!schema.schemas.isEmpty()) kinds.add("SCHEMA");
        grant.kind = pick(kinds);
        switch (grant.kind) {
            case "TABLE" -> {
                if (schema.tables.isEmpty()) return;
                grant.target = String.valueOf(pick(schema.tables).key);
                grant.privileges = pick(List.of("SELECT", "SELECT, INSERT", "UPDATE, DELETE"));
            }
            case "VIEW" -> {
                grant.target = pick(views).name;
                grant.privileges = "SELECT";
            }
            case "MATVIEW" -> {
                grant.target = pick(matViews).name;
                grant.privileges = "SELECT";
            }
            case "SEQUENCE" -> {
                grant.target = pick(schema.sequences).key();
                grant.privileges = pick(List.of("USAGE", "SELECT, UPDATE"));
            }
            case "FUNCTION" -> {
                grant.target = pick(functions.stream().filter(f -> !f.procedure).toList()).name;
                grant.privileges = "EXECUTE";
            }
            case "PROCEDURE" -> {
                grant.target = pick(functions.stream().filter(f -> f.procedure).toList()).name;
                grant.privileges = "EXECUTE";
            }
            default -> {
                grant.target = pick(schema.schemas);
                grant.privileges = pick(List.of("USAGE", "USAGE, CREATE"));
            }
        }
        if (grants.stream().noneMatch(g -> g.kind.equals(grant.kind) && g.target.equals(grant.target))) grants.add(grant);
    }

    // ---------------------------------------------------------------- mutation

    /** One random change to the objects (B only). */
    void mutateOnce() {
        switch (schema.random.nextInt(14)) {
            case 0 -> { // a function's body, return type, overload, or the function itself
                if (functions.isEmpty() || chance(4)) {
                    addFunction();
                    return;
                }
                FunctionSpec f = pick(functions);
                switch (schema.random.nextInt(5)) {
                    case 0 -> f.factor += 1;
                    case 1 -> { if (!f.defaultInA) f.bigint = !f.bigint; } // its checks and indexes are dropped and added again around it
                    case 2 -> f.overload = !f.overload;
                    case 3 -> f.plpgsql = !f.plpgsql;
                    default -> {
                        functions.remove(f);
                        functionUses.removeIf(use -> use.function.equals(f.name));
                    }
                }
            }
            case 1 -> { if (functionUses.isEmpty() || chance(2)) addFunctionUse(); else functionUses.removeFirst(); }
            case 2 -> { // a trigger function's body
                if (triggerFunctions.isEmpty()) addTrigger();
                else pick(triggerFunctions).variant += 1;
            }
            case 3 -> { // a trigger: its event, its condition, gone, or a new one
                if (triggers.isEmpty() || chance(3)) {
                    addTrigger();
                    return;
                }
                TriggerSpec t = pick(triggers);
                switch (schema.random.nextInt(3)) {
                    case 0 -> t.event = t.event.equals("BEFORE UPDATE") ? "BEFORE INSERT OR UPDATE" : "BEFORE UPDATE";
                    case 1 -> t.whenBound = t.whenBound == null ? 1 : null;
                    default -> triggers.remove(t);
                }
            }
            case 4, 5 -> { // a view: its columns, its condition, gone, or a new one
                if (views.isEmpty() || chance(3)) {
                    addView();
                    return;
                }
                ViewSpec v = pick(views);
                TableSpec table = schema.table(v.tableKey);
                switch (schema.random.nextInt(4)) {
                    case 0 -> v.bound += 1;
                    case 1 -> { if (v.overView == null && !v.cols.isEmpty()) v.cols.remove(schema.random.nextInt(v.cols.size())); }
                    case 2 -> {
                        if (v.overView != null || table == null) return;
                        table.cols.stream().filter(c -> !v.cols.contains(c.key)).findFirst().ifPresent(c -> v.cols.add(c.key));
                    }
                    default -> views.remove(v); // and those over it, by dropWhatLostItsTarget
                }
            }
            case 6 -> { // a materialized view: its columns, its index, gone, or a new one
                if (matViews.isEmpty() || chance(4)) {
                    addMatView();
                    return;
                }
                MatViewSpec m = pick(matViews);
                switch (schema.random.nextInt(4)) {
                    case 0 -> { if (!m.cols.isEmpty()) m.cols.removeFirst(); }
                    case 1 -> m.hasIndex = !m.hasIndex;
                    case 2 -> m.uniqueIndex = !m.uniqueIndex;
                    default -> matViews.remove(m);
                }
            }
            case 7, 8 -> { // row level security and policies
                if (rowSecurity.isEmpty() || chance(4)) {
                    addRowSecurity();
                    return;
                }
                RowSecuritySpec rls = pick(rowSecurity);
                switch (schema.random.nextInt(6)) {
                    case 0 -> rls.enabled = !rls.enabled;
                    case 1 -> rls.force = !rls.force;
                    case 2 -> addPolicy(rls);
                    case 3 -> { if (!rls.policies.isEmpty()) rls.policies.removeFirst(); }
                    case 4 -> { if (!rls.policies.isEmpty()) pick(rls.policies).bound += 1; }
                    default -> { if (!rls.policies.isEmpty()) pick(rls.policies).toRole ^= true; }
                }
            }
            case 9 -> { // partitions: one more, one gone (with its rows), an index, a column, or a new partitioned table
                if (partitioned.isEmpty() || chance(4)) {
                    addPartitioned();
                    return;
                }
                PartitionedSpec p = pick(partitioned);
                switch (schema.random.nextInt(5)) {
                    case 0 -> p.years.add(p.years.getLast() + 1);
                    case 1 -> { if (p.years.size() > 1) p.years.removeFirst(); }
                    case 2 -> p.index = !p.index;
                    case 3 -> p.extraColumn = !p.extraColumn;
                    default -> partitioned.remove(p);
                }
            }
            case 10, 11 -> { // grants: one more, one gone, other privileges
                if (grants.isEmpty() || chance(2)) {
                    addGrant();
                    return;
                }
                GrantSpec g = pick(grants);
                if (chance(2)) grants.remove(g);
                else if (g.kind.equals("TABLE")) g.privileges = g.privileges.equals("SELECT") ? "SELECT, UPDATE" : "SELECT";
                else if (g.kind.equals("SEQUENCE")) g.privileges = g.privileges.equals("USAGE") ? "USAGE, SELECT" : "USAGE";
                else if (g.kind.equals("SCHEMA")) g.privileges = g.privileges.equals("USAGE") ? "USAGE, CREATE" : "USAGE";
                else grants.remove(g);
            }
            default -> { // a procedure's or function's body again: the commonest change
                if (!functions.isEmpty()) pick(functions).factor += 1;
            }
        }
    }

    /** After the tables' mutations: what refers to a table, column, view, function or schema B no longer has goes, or narrows. */
    void dropWhatLostItsTarget() {
        Predicate<String> schemaGone = s -> s != null && !schema.schemas.contains(s);
        functions.removeIf(f -> schemaGone.test(f.schema));
        triggerFunctions.removeIf(f -> schemaGone.test(f.schema));
        functionUses.removeIf(use -> schema.table(use.tableKey) == null || function(use.function) == null || function(use.function).procedure);
        triggers.removeIf(t -> schema.table(t.tableKey) == null || triggerFunctions.stream().noneMatch(f -> f.name.equals(t.function)));
        for (ViewSpec v : List.copyOf(views)) { // in order: a view over another comes after it
            if (v.overView != null ? view(v.overView) == null : schema.table(v.tableKey) == null) {
                views.remove(v);
                continue;
            }
            if (v.overView == null) v.cols.removeIf(k -> schema.table(v.tableKey).col(k) == null);
        }
        matViews.removeIf(m -> schema.table(m.tableKey) == null);
        matViews.forEach(m -> m.cols.removeIf(k -> schema.table(m.tableKey).col(k) == null));
        rowSecurity.removeIf(r -> schema.table(r.tableKey) == null);
        partitioned.removeIf(p -> schemaGone.test(p.schema));
        for (RowSecuritySpec r : rowSecurity) {
            for (PolicySpec p : r.policies) if (p.colKey != null && schema.table(r.tableKey).col(p.colKey) == null) p.colKey = null;
        }
        grants.removeIf(g -> switch (g.kind) {
            case "TABLE" -> schema.table(Integer.parseInt(g.target)) == null;
            case "VIEW" -> view(g.target) == null;
            case "MATVIEW" -> matViews.stream().noneMatch(m -> m.name.equals(g.target));
            case "SEQUENCE" -> schema.sequences.stream().noneMatch(s -> s.key().equals(g.target));
            case "FUNCTION" -> function(g.target) == null || function(g.target).procedure;
            case "PROCEDURE" -> function(g.target) == null || !function(g.target).procedure;
            default -> !schema.schemas.contains(g.target);
        });
    }

    private FunctionSpec function(String name) {
        return functions.stream().filter(f -> f.name.equals(name)).findFirst().orElse(null);
    }

    private ViewSpec view(String name) {
        return views.stream().filter(v -> v.name.equals(name)).findFirst().orElse(null);
    }

    private RowSecuritySpec rowSecurityOf(int tableKey) {
        return rowSecurity.stream().filter(r -> r.tableKey == tableKey).findFirst().orElse(null);
    }

    /** A deep copy for B, whose tables are {@code b}'s. */
    RandomObjects copyFor(RandomSchema b) {
        RandomObjects x = new RandomObjects(b);
        for (FunctionSpec f : functions) {
            FunctionSpec y = f.copy();
            y.defaultInA = functionUses.stream().anyMatch(use -> use.function.equals(f.name) && use.kind.equals("DEFAULT"));
            x.functions.add(y);
        }
        triggerFunctions.forEach(f -> x.triggerFunctions.add(f.copy()));
        triggers.forEach(t -> x.triggers.add(t.copy()));
        views.forEach(v -> x.views.add(v.copy()));
        matViews.forEach(m -> x.matViews.add(m.copy()));
        rowSecurity.forEach(r -> x.rowSecurity.add(r.copy()));
        partitioned.forEach(p -> x.partitioned.add(p.copy()));
        functionUses.forEach(u -> x.functionUses.add(u.copy()));
        grants.forEach(g -> x.grants.add(g.copy()));
        return x;
    }

    // ---------------------------------------------------------------- rendering

    /** Functions and procedures: before the tables, whose checks may call them. */
    String routinesSql() {
        StringBuilder sql = new StringBuilder();
        for (FunctionSpec f : functions) {
            String language = f.plpgsql ? "plpgsql" : "sql";
            if (f.procedure) {
                sql.append("CREATE PROCEDURE ").append(f.ref()).append("(a integer) LANGUAGE ").append(language).append(" AS $$ ")
                   .append(f.plpgsql ? "BEGIN PERFORM a * " + f.factor + "; END" : "SELECT a * " + f.factor).append(" $$;\n");
                continue;
            }
            String type = f.bigint ? "bigint" : "integer";
            sql.append("CREATE FUNCTION ").append(f.ref()).append("(a integer) RETURNS ").append(type).append(" LANGUAGE ").append(language)
               .append(" IMMUTABLE AS $$ ").append(f.plpgsql ? "BEGIN RETURN a * " + f.factor + "; END" : "SELECT (a * " + f.factor + ")::" + type)
               .append(" $$;\n");
            if (f.overload) {
                sql.append("CREATE FUNCTION ").append(f.ref()).append("(a text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a || '")
                   .append(f.factor).append("' $$;\n");
            }
        }
        for (TriggerFunctionSpec f : triggerFunctions) {
            sql.append("CREATE FUNCTION ").append(f.ref()).append("() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  -- variant ")
               .append(f.variant).append("\n  IF TG_OP = 'DELETE' THEN\n    RETURN OLD;\n  END IF;\n  RETURN NEW;\nEND\n$$;\n");
        }
        return sql.toString();
    }

    /** Everything else, once the tables and their foreign keys exist. */
    String afterTablesSql() {
        StringBuilder sql = new StringBuilder();
        for (FunctionUse use : functionUses) {
            String table = schema.table(use.tableKey).ref();
            String call = function(use.function).ref() + (use.kind.equals("DEFAULT") ? "(1)" : "(id::integer)");
            sql.append(switch (use.kind) {
                case "CHECK" -> "ALTER TABLE " + table + " ADD CONSTRAINT " + q(use.name) + " CHECK (" + call + " > -100);\n";
                case "INDEX" -> "CREATE INDEX " + q(use.name) + " ON " + table + " ((" + call + "));\n";
                default -> "ALTER TABLE " + table + " ADD COLUMN " + q(use.name) + " integer DEFAULT " + call + ";\n";
            });
        }
        for (TriggerSpec t : triggers) {
            TriggerFunctionSpec f = triggerFunctions.stream().filter(g -> g.name.equals(t.function)).findFirst().orElseThrow();
            String row = t.event.startsWith("AFTER DELETE") ? "OLD" : "NEW";
            sql.append("CREATE TRIGGER ").append(q(t.name)).append(' ').append(t.event).append(" ON ").append(schema.table(t.tableKey).ref())
               .append(" FOR EACH ROW").append(t.whenBound == null ? "" : " WHEN (" + row + ".id > " + t.whenBound + ")")
               .append(" EXECUTE FUNCTION ").append(f.ref()).append("();\n");
        }
        for (ViewSpec v : views) sql.append("CREATE VIEW ").append(viewRef(v)).append(" AS ").append(viewQuery(v)).append(";\n");
        for (MatViewSpec m : matViews) {
            TableSpec table = schema.table(m.tableKey);
            sql.append("CREATE MATERIALIZED VIEW ").append(matViewRef(m)).append(" AS SELECT ").append(columns(table, m.cols))
               .append(" FROM ").append(table.ref()).append(";\n");
            if (m.hasIndex) {
                sql.append("CREATE ").append(m.uniqueIndex ? "UNIQUE " : "").append("INDEX ").append(q(m.name + "_id")).append(" ON ")
                   .append(matViewRef(m)).append(" (id);\n");
            }
        }
        for (RowSecuritySpec r : rowSecurity) {
            String table = schema.table(r.tableKey).ref();
            if (r.enabled) sql.append("ALTER TABLE ").append(table).append(" ENABLE ROW LEVEL SECURITY;\n");
            if (r.force) sql.append("ALTER TABLE ").append(table).append(" FORCE ROW LEVEL SECURITY;\n");
            for (PolicySpec p : r.policies) {
                ColSpec c = p.colKey == null ? null : schema.table(r.tableKey).col(p.colKey);
                sql.append("CREATE POLICY ").append(q(p.name)).append(" ON ").append(table).append(p.restrictive ? " AS RESTRICTIVE" : "")
                   .append(" FOR ").append(p.command).append(" TO ").append(p.toRole ? ROLE : "PUBLIC")
                   .append(" USING (id > ").append(p.bound).append(c == null ? "" : " AND " + q(c.name) + " IS NOT NULL").append(')')
                   .append(p.command.equals("ALL") || p.command.equals("UPDATE") ? " WITH CHECK (id > 0)" : "").append(";\n");
            }
        }
        for (PartitionedSpec p : partitioned) {
            sql.append("CREATE TABLE ").append(p.ref(p.name)).append(" (id bigint NOT NULL, day date NOT NULL, note text")
               .append(p.extraColumn ? ", extra integer DEFAULT 0" : "").append(") PARTITION BY RANGE (day);\n");
            for (int year : p.years) {
                sql.append("CREATE TABLE ").append(p.ref(p.name + "_" + year)).append(" PARTITION OF ").append(p.ref(p.name))
                   .append(" FOR VALUES FROM ('").append(year).append("-01-01') TO ('").append(year + 1).append("-01-01');\n");
            }
            if (p.index) sql.append("CREATE INDEX ").append(q(p.name + "_day")).append(" ON ").append(p.ref(p.name)).append(" (day);\n");
        }
        for (GrantSpec g : grants) {
            String on = switch (g.kind) {
                case "TABLE" -> "TABLE " + schema.table(Integer.parseInt(g.target)).ref();
                case "VIEW" -> "TABLE " + viewRef(view(g.target));
                case "MATVIEW" -> "TABLE " + matViewRef(matViews.stream().filter(m -> m.name.equals(g.target)).findFirst().orElseThrow());
                case "SEQUENCE" -> "SEQUENCE " + Sql.qualified(g.target);
                case "FUNCTION" -> "FUNCTION " + function(g.target).ref() + "(integer)";
                case "PROCEDURE" -> "PROCEDURE " + function(g.target).ref() + "(integer)";
                default -> "SCHEMA " + q(g.target);
            };
            sql.append("GRANT ").append(g.privileges).append(" ON ").append(on).append(" TO ").append(ROLE).append(";\n");
        }
        return sql.toString();
    }

    private TableSpec tableOf(ViewSpec v) {
        return v.overView == null ? schema.table(v.tableKey) : tableOf(view(v.overView));
    }

    private String viewRef(ViewSpec v) {
        TableSpec table = tableOf(v);
        return table.schema == null ? q(v.name) : q(table.schema) + "." + q(v.name);
    }

    private String matViewRef(MatViewSpec m) {
        TableSpec table = schema.table(m.tableKey);
        return table.schema == null ? q(m.name) : q(table.schema) + "." + q(m.name);
    }

    private String viewQuery(ViewSpec v) {
        if (v.overView != null) return "SELECT * FROM " + viewRef(view(v.overView)) + " WHERE id > " + v.bound;
        TableSpec table = schema.table(v.tableKey);
        return "SELECT " + columns(table, v.cols) + " FROM " + table.ref() + " WHERE id > " + v.bound;
    }

    private static String columns(TableSpec table, List<Integer> cols) {
        List<String> names = new ArrayList<>(List.of("id"));
        cols.stream().map(table::col).filter(Objects::nonNull).map(c -> q(c.name)).forEach(names::add);
        return String.join(", ", names);
    }

    /** The partitions' rows (one a year); inside the rows' session_replication_role = replica. */
    String rowsSql() {
        StringBuilder sql = new StringBuilder();
        for (PartitionedSpec p : partitioned) {
            for (int year : p.years) {
                sql.append("INSERT INTO ").append(p.ref(p.name)).append(" (id, day, note) VALUES (").append(year).append(", '").append(year)
                   .append("-03-01', 'row ").append(year).append("');\n");
            }
        }
        return sql.toString();
    }

    /** The materialized views hold the rows once they are there. */
    String afterRowsSql() {
        return matViews.stream().map(m -> "REFRESH MATERIALIZED VIEW " + matViewRef(m) + ";\n").collect(Collectors.joining());
    }

    /** Queries (A's, B's) whose results the plan keeps: rows of kept partitions and of kept materialized views. */
    List<String[]> survivingValues(RandomObjects b) {
        List<String[]> queries = new ArrayList<>();
        for (PartitionedSpec p : partitioned) {
            PartitionedSpec u = b.partitioned.stream().filter(o -> o.name.equals(p.name)).findFirst().orElse(null);
            if (u == null) continue;
            for (int year : p.years) {
                if (!u.years.contains(year)) continue;
                String sql = "SELECT string_agg(id || '=' || day || note, ',' ORDER BY id) FROM " + p.ref(p.name + "_" + year);
                queries.add(new String[]{sql, sql});
            }
        }
        for (MatViewSpec m : matViews) {
            // a materialized view B keeps over a table that keeps its rows holds them, kept or rebuilt
            boolean kept = b.matViews.stream().anyMatch(o -> o.name.equals(m.name)) && b.schema.table(m.tableKey) != null;
            if (kept) queries.add(new String[]{"SELECT count(*) FROM " + matViewRef(m), "SELECT count(*) FROM " + b.matViewRef(m)});
        }
        return queries;
    }
}
