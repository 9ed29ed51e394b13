package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies declared renames to the current catalog, so the rest of the planner compares like with
 * like, and writes the RENAME statements. Also renames types (for enums that are recreated).
 */
final class Renamer {

    private Renamer() {
    }

    static Catalog apply(Catalog current, Catalog desired, DiffOptions options, List<Step> steps) {
        Map<String, Table> tables = new LinkedHashMap<>(current.tables());
        Map<String, Sequence> sequences = new LinkedHashMap<>(current.sequences());
        for (Map.Entry<String, String> rename : new java.util.TreeMap<>(options.tableRenames()).entrySet()) {
            String from = rename.getKey();
            String to = rename.getValue();
            if (!tables.containsKey(from)) throw new IllegalArgumentException("cannot rename table " + from + " to " + to + ": the database has no table " + from);
            if (!desired.tables().containsKey(to)) throw new IllegalArgumentException("cannot rename table " + from + " to " + to + ": the schema has no table " + to);
            if (tables.containsKey(to)) throw new IllegalArgumentException("cannot rename table " + from + " to " + to + ": the database already has a table " + to);
            if (desired.tables().containsKey(from)) throw new IllegalArgumentException("cannot rename table " + from + " to " + to + ": the schema still has a table " + from);
            Table table = tables.remove(from);
            tables.put(to, new Table(to, table.columns(), table.primaryKey(), table.uniqueConstraints(), table.foreignKeys(),
                    table.checks(), table.indexes(), table.comment()));
            for (Map.Entry<String, Table> entry : tables.entrySet()) {
                Table t = entry.getValue();
                Map<String, ForeignKey> fks = new HashMap<>();
                t.foreignKeys().forEach((name, fk) -> fks.put(name, fk.referencedTable().equals(from)
                        ? new ForeignKey(fk.name(), fk.columns(), to, fk.referencedColumns(), fk.onUpdate(), fk.onDelete(), fk.match(), fk.deferrable(), fk.initiallyDeferred())
                        : fk));
                entry.setValue(new Table(t.name(), t.columns(), t.primaryKey(), t.uniqueConstraints(), fks, t.checks(), t.indexes(), t.comment()));
            }
            sequences.replaceAll((name, s) -> from.equals(s.ownedByTable()) ? s.withOwner(to, s.ownedByColumn()) : s);
            steps.add(Step.rename("ALTER TABLE " + Sql.qualified(from) + " RENAME TO " + Sql.local(to), to, SchemaObject.table(to)));
            // An identity column's sequence is named table_column_seq when made, and a table built fresh under
            // the new name has new_column_seq: renamed with it (the catalog does not hold the name, pg_dump does).
            for (Column column : table.columns().values()) {
                if (column.identity() == Column.Identity.NONE) continue;
                String old = from.substring(from.indexOf('.') + 1) + "_" + column.name() + "_seq";
                String renamed = to.substring(to.indexOf('.') + 1) + "_" + column.name() + "_seq";
                if (Math.max(old.length(), renamed.length()) > 63) continue; // PostgreSQL shortened the name: left as it is
                steps.add(Step.rename("ALTER SEQUENCE IF EXISTS " + Sql.schemaPrefix(from) + Sql.ident(old) + " RENAME TO " + Sql.ident(renamed), to,
                        SchemaObject.sequence(Sql.schemaPrefix(to).isEmpty() ? renamed : to.substring(0, to.indexOf('.') + 1) + renamed)));
            }
        }
        for (Map.Entry<String, String> rename : new java.util.TreeMap<>(options.columnRenames()).entrySet()) {
            int dot = rename.getKey().indexOf('.');
            if (dot < 0) throw new IllegalArgumentException("a column rename is written table.oldColumn=newColumn, not " + rename.getKey());
            String tableName = rename.getKey().substring(0, dot);
            String from = rename.getKey().substring(dot + 1);
            String to = rename.getValue();
            Table table = tables.get(tableName);
            String what = "cannot rename column " + tableName + "." + from + " to " + to + ": ";
            if (table == null) throw new IllegalArgumentException(what + "the database has no table " + tableName);
            if (table.column(from) == null) throw new IllegalArgumentException(what + "table " + tableName + " has no column " + from);
            Table want = desired.table(tableName);
            if (want == null || want.column(to) == null) throw new IllegalArgumentException(what + "the schema has no column " + tableName + "." + to);
            if (table.column(to) != null) throw new IllegalArgumentException(what + "table " + tableName + " already has a column " + to);
            tables.put(tableName, renameColumn(table, from, to));
            for (Map.Entry<String, Table> entry : tables.entrySet()) {
                Table t = entry.getValue();
                Map<String, ForeignKey> fks = new HashMap<>();
                t.foreignKeys().forEach((name, fk) -> fks.put(name, fk.referencedTable().equals(tableName)
                        ? new ForeignKey(fk.name(), fk.columns(), fk.referencedTable(), swap(fk.referencedColumns(), from, to),
                                fk.onUpdate(), fk.onDelete(), fk.match(), fk.deferrable(), fk.initiallyDeferred())
                        : fk));
                entry.setValue(new Table(t.name(), t.columns(), t.primaryKey(), t.uniqueConstraints(), fks, t.checks(), t.indexes(), t.comment()));
            }
            sequences.replaceAll((name, s) -> tableName.equals(s.ownedByTable()) && from.equals(s.ownedByColumn()) ? s.withOwner(tableName, to) : s);
            steps.add(Step.rename("ALTER TABLE " + Sql.qualified(tableName) + " RENAME COLUMN " + Sql.ident(from) + " TO " + Sql.ident(to), tableName,
                    SchemaObject.column(tableName, to)));
        }
        return followingTableRenames(current.with(tables, sequences).withTriggers(triggersFollowing(current.triggers(), options.tableRenames())),
                options.tableRenames());
    }

    /**
     * Policies, row level security and grants of renamed tables, as they read after {@code ALTER TABLE … RENAME TO}:
     * they follow their table, so they must not be dropped under the old name and created again under the new.
     */
    private static Catalog followingTableRenames(Catalog catalog, Map<String, String> tableRenames) {
        if (tableRenames.isEmpty()) return catalog;
        Map<String, Policy> policies = new LinkedHashMap<>();
        for (Policy policy : catalog.policies().values()) {
            Policy renamed = new Policy(tableRenames.getOrDefault(policy.table(), policy.table()), policy.name(), policy.permissive(), policy.command(),
                    policy.roles(), policy.using(), policy.withCheck(), policy.readsColumns().stream().map(read -> {
                        for (Map.Entry<String, String> rename : tableRenames.entrySet()) {
                            if (read.startsWith(rename.getKey() + ".")) return rename.getValue() + read.substring(rename.getKey().length());
                        }
                        return read;
                    }).collect(java.util.stream.Collectors.toSet()));
            policies.put(renamed.key(), renamed);
        }
        Map<String, RowSecurity> rowSecurity = new LinkedHashMap<>();
        catalog.rowSecurity().forEach((table, rls) -> {
            String to = tableRenames.getOrDefault(table, table);
            rowSecurity.put(to, new RowSecurity(to, rls.enabled(), rls.forced()));
        });
        Map<String, Grant> grants = new LinkedHashMap<>();
        for (Grant grant : catalog.grants().values()) {
            Grant renamed = grant.objectType().equals("TABLE") && tableRenames.containsKey(grant.object())
                    ? new Grant(grant.objectType(), tableRenames.get(grant.object()), grant.grantee(), grant.privilege(), grant.grantable()) : grant;
            grants.put(renamed.key(), renamed);
        }
        return new Catalog(catalog.tables(), catalog.enums(), catalog.sequences(), catalog.extensions(), catalog.routines(), catalog.triggers(),
                catalog.views(), catalog.domains(), grants, catalog.schemas(), catalog.materializedViews(), policies, rowSecurity,
                catalog.partitionKeys(), catalog.partitions());
    }

    private static Table renameColumn(Table table, String from, String to) {
        Map<String, Column> columns = new LinkedHashMap<>();
        for (Column column : table.columns().values()) {
            Column renamed = column.name().equals(from) ? column.withName(to) : column;
            renamed = renamed.withExpressions(col(renamed.defaultExpression(), from, to), col(renamed.generatedExpression(), from, to));
            columns.put(renamed.name(), renamed);
        }
        KeyConstraint pk = table.primaryKey() == null ? null : renameKey(table.primaryKey(), from, to);
        Map<String, KeyConstraint> uniques = new HashMap<>();
        table.uniqueConstraints().forEach((name, key) -> uniques.put(name, renameKey(key, from, to)));
        Map<String, ForeignKey> fks = new HashMap<>();
        table.foreignKeys().forEach((name, fk) -> fks.put(name, new ForeignKey(fk.name(), swap(fk.columns(), from, to), fk.referencedTable(),
                fk.referencedColumns(), fk.onUpdate(), fk.onDelete(), fk.match(), fk.deferrable(), fk.initiallyDeferred())));
        Map<String, CheckConstraint> checks = new HashMap<>();
        table.checks().forEach((name, check) -> checks.put(name, new CheckConstraint(name, col(check.definition(), from, to))));
        Map<String, Index> indexes = new HashMap<>();
        table.indexes().forEach((name, index) -> indexes.put(name,
                new Index(name, index.unique(), index.method(), col(index.body(), from, to), index.valid())));
        return new Table(table.name(), columns, pk, uniques, fks, checks, indexes, table.comment());
    }

    private static KeyConstraint renameKey(KeyConstraint key, String from, String to) {
        return new KeyConstraint(key.name(), key.primaryKey(), swap(key.columns(), from, to), col(key.definition(), from, to));
    }

    private static String col(String text, String from, String to) {
        return SqlTokens.replace(text, from, to, SqlTokens.Role.COLUMN);
    }

    private static List<String> swap(List<String> names, String from, String to) {
        List<String> result = new ArrayList<>(names);
        result.replaceAll(name -> name.equals(from) ? to : name);
        return result;
    }

    /**
     * An owned sequence (serial) whose owner column is the same on both sides but whose name differs
     * (a renamed table gets {@code newname_id_seq} when built fresh) is renamed, not dropped and
     * recreated: a new sequence would start again at 1 and collide with the existing ids.
     */
    static Catalog renameOwnedSequences(Catalog current, Catalog desired, List<Step> steps) {
        Map<String, Sequence> sequences = new java.util.TreeMap<>(current.sequences());
        Map<String, String> renames = new LinkedHashMap<>();
        for (Sequence want : desired.sequences().values()) {
            if (!want.isOwned() || sequences.containsKey(want.name())) continue;
            for (Sequence had : List.copyOf(sequences.values())) {
                if (had.isOwned() && !desired.sequences().containsKey(had.name())
                        && had.ownedByTable().equals(want.ownedByTable()) && had.ownedByColumn().equals(want.ownedByColumn())
                        && had.withName(want.name()).equals(want)) {
                    sequences.remove(had.name());
                    sequences.put(want.name(), want);
                    renames.put(had.name(), want.name());
                    steps.add(Step.rename("ALTER SEQUENCE " + Sql.qualified(had.name()) + " RENAME TO " + Sql.local(want.name()), want.ownedByTable(),
                            SchemaObject.sequence(want.name())));
                    break;
                }
            }
        }
        if (renames.isEmpty()) return current;
        Map<String, Table> tables = new LinkedHashMap<>();
        for (Table table : current.tables().values()) {
            Map<String, Column> columns = new LinkedHashMap<>();
            for (Column column : table.columns().values()) {
                String expression = column.defaultExpression();
                if (expression != null) {
                    for (Map.Entry<String, String> rename : renames.entrySet()) {
                        expression = expression.replace("'" + Sql.qualified(rename.getKey()) + "'::regclass", "'" + Sql.qualified(rename.getValue()) + "'::regclass");
                    }
                }
                columns.put(column.name(), column.withExpressions(expression, column.generatedExpression()));
            }
            tables.put(table.name(), new Table(table.name(), columns, table.primaryKey(), table.uniqueConstraints(),
                    table.foreignKeys(), table.checks(), table.indexes(), table.comment()));
        }
        return current.with(tables, sequences);
    }

    /** The catalog as it reads after {@code ALTER TYPE old RENAME TO new} for each entry of {@code renames}. */
    static Catalog renameTypes(Catalog catalog, Map<String, String> renames) {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (Table table : catalog.tables().values()) {
            Map<String, Column> columns = new LinkedHashMap<>();
            for (Column column : table.columns().values()) {
                Column renamed = column;
                for (Map.Entry<String, String> rename : renames.entrySet()) {
                    String type = renamed.type();
                    String base = type.endsWith("[]") ? type.substring(0, type.length() - 2) : type;
                    if (base.equals(Sql.qualified(rename.getKey()))) {
                        renamed = renamed.withType(Sql.qualified(rename.getValue()) + (type.endsWith("[]") ? "[]" : ""));
                    }
                    renamed = renamed.withExpressions(typ(renamed.defaultExpression(), rename.getKey(), rename.getValue()),
                            typ(renamed.generatedExpression(), rename.getKey(), rename.getValue()));
                }
                columns.put(renamed.name(), renamed);
            }
            Map<String, CheckConstraint> checks = new HashMap<>();
            table.checks().forEach((name, check) -> {
                String definition = check.definition();
                for (Map.Entry<String, String> rename : renames.entrySet()) definition = typ(definition, rename.getKey(), rename.getValue());
                checks.put(name, new CheckConstraint(name, definition));
            });
            Map<String, Index> indexes = new HashMap<>();
            table.indexes().forEach((name, index) -> {
                String body = index.body();
                for (Map.Entry<String, String> rename : renames.entrySet()) body = typ(body, rename.getKey(), rename.getValue());
                indexes.put(name, new Index(name, index.unique(), index.method(), body, index.valid()));
            });
            tables.put(table.name(), new Table(table.name(), columns, table.primaryKey(), table.uniqueConstraints(),
                    table.foreignKeys(), checks, indexes, table.comment()));
        }
        return catalog.with(tables, catalog.sequences());
    }

    /** Triggers of renamed tables, as PostgreSQL prints them after {@code ALTER TABLE … RENAME TO}. */
    private static Map<String, Trigger> triggersFollowing(Map<String, Trigger> triggers, Map<String, String> tableRenames) {
        Map<String, Trigger> result = new LinkedHashMap<>();
        for (Trigger trigger : triggers.values()) {
            String to = tableRenames.get(trigger.table());
            Trigger renamed = to == null ? trigger : new Trigger(to, trigger.name(), trigger.function(),
                    trigger.definition().replace(" ON " + Sql.qualified(trigger.table()) + " ", " ON " + Sql.qualified(to) + " "), trigger.enabled());
            result.put(renamed.key(), renamed);
        }
        return result;
    }

    private static String typ(String text, String from, String to) {
        return SqlTokens.replace(text, from, to, SqlTokens.Role.TYPE);
    }
}
