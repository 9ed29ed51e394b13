package dev.finote.db.schema;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the generators of the table kinds share: the two catalogs, which tables are kept, created
 * and dropped, what {@link KeptTable} decided for each kept one, and the dependencies those kinds
 * declare on each other (a column on its type, a foreign key on the key it references, …).
 *
 * @param current         the database's catalog after the declared renames
 * @param have            {@code current} with the enums to recreate moved to their old names
 *                        ({@link EnumGenerator#recreations})
 * @param desired         the catalog of schema.sql
 * @param enumRecreations enum → the name it moves to while it is created again
 */
record DiffContext(Catalog current, Catalog have, Catalog desired, Set<String> kept, Set<String> created, Set<String> dropped,
                   Map<String, String> enumRecreations, Map<String, KeptTable> keptTables) {

    static DiffContext of(Catalog current, Catalog desired) {
        Set<String> kept = new TreeSet<>(current.tables().keySet());
        kept.retainAll(desired.tables().keySet());
        Set<String> created = new TreeSet<>(desired.tables().keySet());
        created.removeAll(current.tables().keySet());
        Set<String> dropped = new TreeSet<>(current.tables().keySet());
        dropped.removeAll(desired.tables().keySet());
        dropped.removeAll(PartitionGenerator.attachedTables(current, desired)); // attached, not dropped
        Map<String, String> enumRecreations = EnumGenerator.recreations(current, desired);
        Catalog have = enumRecreations.isEmpty() ? current : Renamer.renameTypes(current, enumRecreations);
        return new DiffContext(current, have, desired, kept, created, dropped, enumRecreations, KeptTable.decide(have, desired, kept));
    }

    /** The kept tables in name order. */
    java.util.Collection<KeptTable> keptInOrder() {
        return keptTables.values();
    }

    /** Columns of kept table {@code table} dropped and added again. */
    Set<String> recreatedColumns(String table) {
        KeptTable kept = keptTables.get(table);
        return kept == null ? Set.of() : kept.recreated;
    }

    /** True when {@code sequence}'s owning column or table goes (or is dropped to come back): it would go with it. */
    boolean ownerGoes(Sequence sequence) {
        if (!kept.contains(sequence.ownedByTable())) return true;
        Table want = desired.table(sequence.ownedByTable());
        return want.column(sequence.ownedByColumn()) == null || recreatedColumns(sequence.ownedByTable()).contains(sequence.ownedByColumn());
    }

    /** What the extensions this plan adds bring (types, functions, operators) may be used by what it creates. */
    Set<SchemaObject> addedExtensions() {
        Set<SchemaObject> added = new TreeSet<>();
        for (String extension : desired.extensions().keySet()) {
            if (!current.extensions().containsKey(extension)) added.add(SchemaObject.extension(extension));
        }
        return added;
    }

    /** What a column of {@code desired} needs: the functions its default or generated expression calls, its enum or domain type, its sequence. */
    Set<SchemaObject> needsOf(Column column) {
        Set<SchemaObject> needs = new TreeSet<>(RoutineGenerator.calledIn(desired, column.defaultExpression()));
        needs.addAll(RoutineGenerator.calledIn(desired, column.generatedExpression()));
        needs.addAll(typeNeeds(desired, column.type()));
        needs.addAll(sequenceNeeds(desired, column.defaultExpression()));
        return needs;
    }

    /**
     * What column {@code column} of the current schema uses: the functions its default and generated
     * expression call, its enum or domain type, the sequences its default draws from, and the
     * extensions this plan removes; a step that stops using them runs before they go.
     */
    Set<SchemaObject> usedBy(Column column) {
        Set<SchemaObject> used = new TreeSet<>(RoutineGenerator.calledIn(current, column.defaultExpression()));
        used.addAll(RoutineGenerator.calledIn(current, column.generatedExpression()));
        used.addAll(typesUsed(column.type()));
        used.addAll(sequenceNeeds(current, column.defaultExpression()));
        for (String extension : current.extensions().keySet()) {
            if (!desired.extensions().containsKey(extension)) used.add(SchemaObject.extension(extension));
        }
        return used;
    }

    /** The enum or domain a column of the current schema has as {@code type}: one of the catalog, or an old enum moved out of the way. */
    Set<SchemaObject> typesUsed(String type) {
        Set<SchemaObject> used = new TreeSet<>(typeNeeds(current, type));
        String base = type;
        while (base.endsWith("[]")) base = base.substring(0, base.length() - 2);
        for (String old : enumRecreations.values()) if (base.equals(Sql.qualified(old)) || base.equals(old)) used.add(SchemaObject.type(old));
        return used;
    }

    /** What building {@code index} on {@code table} needs: its table, the columns it mentions, the functions its expressions call, new extensions. */
    Set<SchemaObject> indexNeeds(String table, Index index) {
        Set<SchemaObject> needs = new TreeSet<>(RoutineGenerator.calledIn(desired, index.body()));
        needs.add(SchemaObject.table(table));
        needs.addAll(mentioned(desired.table(table), index.body()));
        needs.addAll(addedExtensions());
        return needs;
    }

    /** The enum or domain {@code type} names, when {@code catalog} has it (arrays of it too). */
    static Set<SchemaObject> typeNeeds(Catalog catalog, String type) {
        String base = type;
        while (base.endsWith("[]")) base = base.substring(0, base.length() - 2);
        return catalog.enums().containsKey(base) || catalog.domains().containsKey(base) ? Set.of(SchemaObject.type(base)) : Set.of();
    }

    /** The sequences of {@code catalog} a default draws from ({@code nextval('name'::regclass)}, as the catalog prints it). */
    static Set<SchemaObject> sequenceNeeds(Catalog catalog, String defaultExpression) {
        if (defaultExpression == null || !defaultExpression.contains("nextval(")) return Set.of();
        Set<SchemaObject> needs = new TreeSet<>();
        for (String sequence : catalog.sequences().keySet()) {
            if (defaultExpression.contains("nextval('" + sequence + "'") || defaultExpression.contains("nextval('" + Sql.qualified(sequence) + "'")) {
                needs.add(SchemaObject.sequence(sequence));
            }
        }
        return needs;
    }

    /** The columns of {@code table} that {@code text} (a check, an index body) mentions. */
    static Set<SchemaObject> mentioned(Table table, String text) {
        Set<SchemaObject> columns = new TreeSet<>();
        if (table == null || text == null) return columns;
        for (String column : table.columns().keySet()) {
            if (SqlTokens.mentions(text, column, SqlTokens.Role.COLUMN)) columns.add(SchemaObject.column(table.name(), column));
        }
        return columns;
    }

    static List<SchemaObject> columns(String table, List<String> columns) {
        return columns.stream().map(column -> SchemaObject.column(table, column)).toList();
    }

    /**
     * What foreign key {@code fk} of {@code table} needs in {@code catalog}: its columns, the
     * referenced table and columns, and the key or unique index there that it references.
     */
    static Set<SchemaObject> foreignKeyNeeds(Catalog catalog, String table, ForeignKey fk) {
        Set<SchemaObject> needs = new TreeSet<>(columns(table, fk.columns()));
        needs.add(SchemaObject.table(table));
        needs.add(SchemaObject.table(fk.referencedTable()));
        needs.addAll(columns(fk.referencedTable(), fk.referencedColumns()));
        Table referenced = catalog.table(fk.referencedTable());
        if (referenced == null) return needs;
        Set<String> wanted = new TreeSet<>(fk.referencedColumns());
        List<KeyConstraint> keys = new java.util.ArrayList<>(referenced.uniqueConstraints().values());
        if (referenced.primaryKey() != null) keys.add(referenced.primaryKey());
        for (KeyConstraint key : keys) {
            if (new TreeSet<>(key.columns()).equals(wanted)) needs.add(SchemaObject.constraint(referenced.name(), key.name()));
        }
        for (Index index : referenced.indexes().values()) {
            if (index.unique() && index.body().startsWith("(" + Sql.identifiers(fk.referencedColumns()) + ")")) needs.add(SchemaObject.index(index.name()));
        }
        return needs;
    }

    /** The columns of {@code table} in {@code catalog}: what attaching it as a partition needs in place. */
    static List<SchemaObject> columnsOf(Catalog catalog, String table) {
        Table found = catalog.table(table);
        return found == null ? List.of() : columns(table, List.copyOf(found.columns().keySet()));
    }

    /** {@code CONSTRAINT name definition}. */
    static String constraint(String name, String definition) {
        return "CONSTRAINT " + Sql.ident(name) + " " + definition;
    }

    /** The validation of constraint {@code constraint} of {@code table} added {@code NOT VALID}, which it needs. */
    static Step validate(String table, String constraint) {
        SchemaObject object = SchemaObject.constraint(table, constraint);
        return Step.alter("ALTER TABLE " + Sql.qualified(table) + " VALIDATE CONSTRAINT " + Sql.ident(constraint), table)
                .with(Hazard.VALIDATES_CONSTRAINT, "scans " + table + " to check " + constraint + "; reads and writes go on")
                .on(object).needing(List.of(object));
    }
}
