package dev.finote.db.schema;

import java.util.Map;

/**
 * Renames the planner should treat as renames rather than drop-and-add.
 *
 * @param tableRenames  old table name → new table name
 * @param columnRenames {@code "table.oldColumn"} → {@code "newColumn"}, where table is the table's name
 *                      in the desired schema (after any table rename)
 */
public record DiffOptions(Map<String, String> tableRenames, Map<String, String> columnRenames) {

    public static final DiffOptions NONE = new DiffOptions(Map.of(), Map.of());

    public DiffOptions {
        tableRenames = Map.copyOf(tableRenames);
        columnRenames = Map.copyOf(columnRenames);
    }
}
