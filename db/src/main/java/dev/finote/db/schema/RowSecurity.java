package dev.finote.db.schema;

/**
 * Row level security of a table (keyed as the table is); only tables with it enabled or forced have one.
 *
 * @param enabled {@code ENABLE ROW LEVEL SECURITY}: policies decide which rows non-owners see
 * @param forced  {@code FORCE ROW LEVEL SECURITY}: the table's owner is bound by them too
 */
public record RowSecurity(String table, boolean enabled, boolean forced) {

    static final RowSecurity NONE = new RowSecurity("", false, false);
}
