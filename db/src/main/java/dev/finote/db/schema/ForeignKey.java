package dev.finote.db.schema;

import java.util.List;

/**
 * A foreign key, kept structured (not as text) so renames of tables and columns on either side
 * can be followed exactly.
 *
 * @param onUpdate   the action keyword: {@code NO ACTION}, {@code RESTRICT}, {@code CASCADE},
 *                   {@code SET NULL}, {@code SET DEFAULT}
 * @param match      {@code SIMPLE} (the default), {@code FULL} or {@code PARTIAL}
 */
public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
                         String onUpdate, String onDelete, String match, boolean deferrable, boolean initiallyDeferred) {

    public ForeignKey {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }

    /** The constraint clause as {@code ALTER TABLE … ADD CONSTRAINT name} expects it. */
    public String definition() {
        StringBuilder sql = new StringBuilder("FOREIGN KEY (").append(Sql.identifiers(columns)).append(") REFERENCES ")
                .append(Sql.qualified(referencedTable)).append(" (").append(Sql.identifiers(referencedColumns)).append(')');
        if (!"SIMPLE".equals(match)) sql.append(" MATCH ").append(match);
        if (!"NO ACTION".equals(onUpdate)) sql.append(" ON UPDATE ").append(onUpdate);
        if (!"NO ACTION".equals(onDelete)) sql.append(" ON DELETE ").append(onDelete);
        if (deferrable) sql.append(" DEFERRABLE");
        if (initiallyDeferred) sql.append(" INITIALLY DEFERRED");
        return sql.toString();
    }
}
