package dev.finote.db.schema;

import java.util.List;
import java.util.Map;

/**
 * The schema of a database ({@code public} and the schemas a user made) as far as Finote manages it: tables (with
 * their columns, keys, constraints, indexes and comments), enums, sequences, extensions,
 * functions and procedures ({@link Routine}, keyed by signature) and triggers (keyed by
 * {@code table.name}), views and domains; materialized views (with their indexes), row level security and
 * policies (keyed by {@code table.name}), the partition key of each partitioned table (in {@code tables} like any
 * other table) and its partitions (keyed by name; their columns, keys and indexes are the parent's); the schemas
 * besides public ({@link Namespace}; objects in them are keyed {@code schema.name}, see {@link Sql#qualified}), and
 * the privileges granted on them ({@link Grant}, keyed by {@link Grant#key()}).
 * Records all the way down, so two catalogs are equal exactly when the schemas are.
 * Built by {@link CatalogReader}; compared by {@link #differencesFrom(Catalog)}; diffed into
 * statements by {@link SchemaDiff}.
 */
public record Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences,
                      Map<String, Extension> extensions, Map<String, Routine> routines, Map<String, Trigger> triggers,
                      Map<String, View> views, Map<String, Domain> domains, Map<String, Grant> grants,
                      Map<String, Namespace> schemas,
                      Map<String, MaterializedView> materializedViews, Map<String, Policy> policies, Map<String, RowSecurity> rowSecurity,
                      Map<String, String> partitionKeys, Map<String, Partition> partitions) {

    public static final Catalog EMPTY = new Catalog(Map.of(), Map.of(), Map.of(), Map.of());

    public Catalog {
        tables = Table.sorted(tables);
        enums = Table.sorted(enums);
        sequences = Table.sorted(sequences);
        extensions = Table.sorted(extensions);
        routines = Table.sorted(routines);
        triggers = Table.sorted(triggers);
        views = Table.sorted(views);
        domains = Table.sorted(domains);
        grants = Table.sorted(grants);
        schemas = Table.sorted(schemas);
        materializedViews = Table.sorted(materializedViews);
        policies = Table.sorted(policies);
        rowSecurity = Table.sorted(rowSecurity);
        partitionKeys = Table.sorted(partitionKeys);
        partitions = Table.sorted(partitions);
    }

    /** A catalog without materialized views, policies, row level security or partitioning. */
    public Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences,
                   Map<String, Extension> extensions, Map<String, Routine> routines, Map<String, Trigger> triggers,
                   Map<String, View> views, Map<String, Domain> domains, Map<String, Grant> grants,
                   Map<String, Namespace> schemas) {
        this(tables, enums, sequences, extensions, routines, triggers, views, domains, grants, schemas,
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** A catalog without grants or partitioning, its objects all in public. */
    public Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences,
                   Map<String, Extension> extensions, Map<String, Routine> routines, Map<String, Trigger> triggers,
                   Map<String, View> views, Map<String, Domain> domains,
                   Map<String, MaterializedView> materializedViews, Map<String, Policy> policies, Map<String, RowSecurity> rowSecurity,
                   Map<String, String> partitionKeys, Map<String, Partition> partitions) {
        this(tables, enums, sequences, extensions, routines, triggers, views, domains, Map.of(), Map.of(),
                materializedViews, policies, rowSecurity, partitionKeys, partitions);
    }

    /** A catalog whose objects are all in public. */
    public Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences,
                   Map<String, Extension> extensions, Map<String, Routine> routines, Map<String, Trigger> triggers,
                   Map<String, View> views, Map<String, Domain> domains, Map<String, Grant> grants) {
        this(tables, enums, sequences, extensions, routines, triggers, views, domains, grants, Map.of());
    }

    /** A catalog without grants. */
    public Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences,
                   Map<String, Extension> extensions, Map<String, Routine> routines, Map<String, Trigger> triggers,
                   Map<String, View> views, Map<String, Domain> domains) {
        this(tables, enums, sequences, extensions, routines, triggers, views, domains, Map.of());
    }

    /** A catalog of tables, enums, sequences and extensions only. */
    public Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences, Map<String, Extension> extensions) {
        this(tables, enums, sequences, extensions, Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** This catalog with other tables and sequences (after a rename), everything else kept. */
    Catalog with(Map<String, Table> otherTables, Map<String, Sequence> otherSequences) {
        return new Catalog(otherTables, enums, otherSequences, extensions, routines, triggers, views, domains, grants, schemas,
                materializedViews, policies, rowSecurity, partitionKeys, partitions);
    }

    /** This catalog with other triggers, everything else kept. */
    Catalog withTriggers(Map<String, Trigger> otherTriggers) {
        return new Catalog(tables, enums, sequences, extensions, routines, otherTriggers, views, domains, grants, schemas,
                materializedViews, policies, rowSecurity, partitionKeys, partitions);
    }

    /** This catalog with other extensions, everything else kept. */
    public Catalog withExtensions(Map<String, Extension> otherExtensions) {
        return new Catalog(tables, enums, sequences, otherExtensions, routines, triggers, views, domains, grants, schemas,
                materializedViews, policies, rowSecurity, partitionKeys, partitions);
    }

    /** This catalog with other grants, everything else kept. */
    public Catalog withGrants(Map<String, Grant> otherGrants) {
        return new Catalog(tables, enums, sequences, extensions, routines, triggers, views, domains, otherGrants, schemas,
                materializedViews, policies, rowSecurity, partitionKeys, partitions);
    }

    public Table table(String name) {
        return tables.get(name);
    }

    public boolean isEmpty() {
        return tables.isEmpty() && enums.isEmpty() && sequences.isEmpty() && extensions.isEmpty() && routines.isEmpty() && triggers.isEmpty()
                && views.isEmpty() && domains.isEmpty() && grants.isEmpty() && schemas.isEmpty()
                && materializedViews.isEmpty() && policies.isEmpty() && rowSecurity.isEmpty() && partitionKeys.isEmpty() && partitions.isEmpty();
    }

    /**
     * What {@code other} has that this catalog lacks, and the other way round, one readable line each
     * ({@code table notes: column updated_at is missing}): "missing" means present in this catalog
     * (the expected one) but not in {@code other}, "extra" the reverse, and "differs" shows this
     * catalog's value first. Empty exactly when the catalogs are equal.
     */
    public List<String> differencesFrom(Catalog other) {
        return CatalogComparison.compare(this, other);
    }
}
