package dev.finote.db.schema;

/**
 * A partition of a partitioned table. Its columns, keys and indexes are its
 * parent's (PostgreSQL keeps them so), so only where it hangs is recorded.
 *
 * @param name   its catalog key, as a table's: {@code name} in public, {@code schema.name} elsewhere
 * @param parent the partitioned table it belongs to (its key)
 * @param bound  {@code FOR VALUES …} or {@code DEFAULT}, as {@code pg_get_expr(relpartbound)} prints it
 */
public record Partition(String name, String parent, String bound) {

    boolean isDefault() {
        return "DEFAULT".equals(bound);
    }

    String createSql() {
        return "CREATE TABLE " + Sql.qualified(name) + " PARTITION OF " + Sql.qualified(parent) + " " + bound;
    }
}
