package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What becomes of the parts of one table that both catalogs have, decided before any statement
 * is written, since the generators of several kinds read it: its columns dropped and added again
 * (a changed generated column), and its keys, checks, indexes and foreign keys kept, renamed
 * (the same definition under another name) or dropped (and then, if wanted, added again).
 */
final class KeptTable {

    final Table had;
    final Table want;
    final String name;
    /** Columns dropped and added again. */
    final Set<String> recreated;
    final List<KeyConstraint> droppedKeys = new ArrayList<>();
    final List<Index> droppedIndexes = new ArrayList<>();
    final List<ForeignKey> droppedForeignKeys = new ArrayList<>();
    final List<CheckConstraint> droppedChecks = new ArrayList<>();
    final Map<String, String> renamedIndexes = new LinkedHashMap<>();      // old → new
    final Map<String, String> renamedConstraints = new LinkedHashMap<>();  // old → new

    private KeptTable(Table had, Table want, Set<String> recreated) {
        this.had = had;
        this.want = want;
        this.name = want.name();
        this.recreated = recreated == null ? Set.of() : recreated;
    }

    /** The decisions for every table in {@code kept}, by name. */
    static Map<String, KeptTable> decide(Catalog have, Catalog desired, Set<String> kept) {
        Map<String, Set<String>> recreatedColumns = recreatedColumns(have, desired, kept);
        Map<String, KeptTable> tables = new TreeMap<>();
        for (String name : kept) tables.put(name, new KeptTable(have.table(name), desired.table(name), recreatedColumns.get(name)));
        tables.values().forEach(KeptTable::decideKeysChecksAndIndexes);
        // a foreign key must be dropped before the key it references, and re-added after
        Set<String> foreignKeysToRecreate = new TreeSet<>();
        for (String name : kept) {
            for (ForeignKey fk : have.table(name).foreignKeys().values()) {
                if (!kept.contains(fk.referencedTable()) || referencesChangedKey(fk, tables.get(fk.referencedTable()))
                        || changesColumnType(tables.get(name), fk.columns())
                        || changesColumnType(tables.get(fk.referencedTable()), fk.referencedColumns())) {
                    foreignKeysToRecreate.add(name + "." + fk.name());
                }
            }
        }
        for (KeptTable table : tables.values()) table.decideForeignKeys(foreignKeysToRecreate);
        return tables;
    }

    /** Columns that exist on both sides but must be dropped and added again (generated expression changes). */
    private static Map<String, Set<String>> recreatedColumns(Catalog have, Catalog desired, Set<String> kept) {
        Map<String, Set<String>> result = new HashMap<>();
        for (String name : kept) {
            Set<String> columns = new TreeSet<>();
            Table want = desired.table(name);
            // PostgreSQL refuses to change the type of a column a generated column reads
            Set<String> retyped = new TreeSet<>();
            for (Column had : have.table(name).columns().values()) {
                Column wanted = want.column(had.name());
                if (wanted != null && !had.type().equals(wanted.type())) retyped.add(had.name());
            }
            for (Column had : have.table(name).columns().values()) {
                Column wanted = want.column(had.name());
                if (wanted != null && wanted.isGenerated()
                        && (!Objects.equals(had.generatedExpression(), wanted.generatedExpression())
                            || !Objects.equals(had.generatedKind(), wanted.generatedKind())
                            || !had.type().equals(wanted.type())
                            || retyped.stream().anyMatch(c -> SqlTokens.mentions(had.generatedExpression(), c, SqlTokens.Role.COLUMN)))) {
                    columns.add(had.name());
                }
            }
            result.put(name, columns);
        }
        return result;
    }

    private static boolean referencesChangedKey(ForeignKey fk, KeptTable referenced) {
        if (referenced == null) return true;
        Set<String> keyColumns = new TreeSet<>(fk.referencedColumns());
        for (KeyConstraint key : referenced.droppedKeys) {
            if (new TreeSet<>(key.columns()).equals(keyColumns)) return true;
        }
        for (Index index : referenced.droppedIndexes) {
            if (index.unique() && index.body().startsWith("(" + Sql.identifiers(fk.referencedColumns()) + ")")) return true;
        }
        return referenced.recreated.stream().anyMatch(fk.referencedColumns()::contains);
    }

    private static boolean changesColumnType(KeptTable table, List<String> columns) {
        if (table == null) return false;
        for (String column : columns) {
            Column had = table.had.column(column);
            Column wanted = table.want.column(column);
            if (had != null && wanted != null && (!had.type().equals(wanted.type()) || !Objects.equals(had.collation(), wanted.collation()))) return true;
        }
        return false;
    }

    boolean touchesRecreated(String text) {
        for (String column : recreated) if (SqlTokens.mentions(text, column, SqlTokens.Role.COLUMN)) return true;
        return false;
    }

    private boolean touchesRecreated(List<String> columns) {
        return columns.stream().anyMatch(recreated::contains);
    }

    /** Works out which keys, checks and indexes are dropped, kept or renamed. */
    private void decideKeysChecksAndIndexes() {
        KeyConstraint hadPk = had.primaryKey();
        KeyConstraint wantPk = want.primaryKey();
        if (hadPk != null && (wantPk == null || !hadPk.definition().equals(wantPk.definition()) || touchesRecreated(hadPk.columns()))) {
            droppedKeys.add(hadPk);
        } else if (hadPk != null && !hadPk.name().equals(wantPk.name())) {
            renamedConstraints.put(hadPk.name(), wantPk.name());
        }
        matchByDefinition(had.uniqueConstraints(), want.uniqueConstraints(), KeyConstraint::definition,
                key -> touchesRecreated(key.columns()), droppedKeys, renamedConstraints);
        matchByDefinition(had.checks(), want.checks(), CheckConstraint::definition,
                check -> touchesRecreated(check.definition()), droppedChecks, renamedConstraints);
        matchByDefinition(had.indexes(), want.indexes(), index -> (index.unique() ? "unique " : "") + index.method() + " " + index.body(),
                index -> !index.valid() || touchesRecreated(index.body()), droppedIndexes, renamedIndexes);
    }

    /** After every table's keys are decided: foreign keys whose referenced key changes are recreated too. */
    private void decideForeignKeys(Set<String> foreignKeysToRecreate) {
        matchByDefinition(had.foreignKeys(), want.foreignKeys(), ForeignKey::definition,
                fk -> touchesRecreated(fk.columns()) || foreignKeysToRecreate.contains(name + "." + fk.name()),
                droppedForeignKeys, renamedConstraints);
    }

    /**
     * Objects with the same name and definition stay; one whose definition reappears under another
     * (new) name is renamed; the rest of {@code had} is dropped.
     */
    private static <T> void matchByDefinition(Map<String, T> hadByName, Map<String, T> wantByName,
                                              java.util.function.Function<T, String> definition,
                                              java.util.function.Predicate<T> mustRecreate,
                                              List<T> droppedOut, Map<String, String> renamedOut) {
        Map<String, String> unmatchedWanted = new LinkedHashMap<>(); // definition → name
        for (Map.Entry<String, T> entry : wantByName.entrySet()) {
            T had = hadByName.get(entry.getKey());
            boolean same = had != null && had.equals(entry.getValue()) && !mustRecreate.test(had);
            if (!same && !hadByName.containsKey(entry.getKey())) unmatchedWanted.putIfAbsent(definition.apply(entry.getValue()), entry.getKey());
        }
        for (Map.Entry<String, T> entry : hadByName.entrySet()) {
            T had = entry.getValue();
            T wanted = wantByName.get(entry.getKey());
            if (wanted != null && wanted.equals(had) && !mustRecreate.test(had)) continue;
            String target = wanted == null && !mustRecreate.test(had) ? unmatchedWanted.remove(definition.apply(had)) : null;
            if (target != null) renamedOut.put(entry.getKey(), target);
            else droppedOut.add(had);
        }
    }
}
