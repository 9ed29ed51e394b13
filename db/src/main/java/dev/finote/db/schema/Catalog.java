package dev.finote.db.schema;

import java.util.List;
import java.util.Map;

/**
 * The schema of a database's {@code public} schema as far as Finote manages it: tables (with
 * their columns, keys, constraints, indexes and comments), enums, sequences and extensions.
 * Records all the way down, so two catalogs are equal exactly when the schemas are.
 * Built by {@link CatalogReader}; compared by {@link #differencesFrom(Catalog)}; diffed into
 * statements by {@link SchemaDiff}.
 */
public record Catalog(Map<String, Table> tables, Map<String, EnumType> enums, Map<String, Sequence> sequences,
                      Map<String, Extension> extensions) {

    public static final Catalog EMPTY = new Catalog(Map.of(), Map.of(), Map.of(), Map.of());

    public Catalog {
        tables = Table.sorted(tables);
        enums = Table.sorted(enums);
        sequences = Table.sorted(sequences);
        extensions = Table.sorted(extensions);
    }

    public Table table(String name) {
        return tables.get(name);
    }

    public boolean isEmpty() {
        return tables.isEmpty() && enums.isEmpty() && sequences.isEmpty() && extensions.isEmpty();
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
