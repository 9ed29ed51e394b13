package dev.finote.db.schema;

/**
 * A sequence, standalone or owned by a column (what {@code serial} creates). Identity columns'
 * sequences are part of the column, not listed here. The current value is data, not schema.
 *
 * @param ownedByTable  the owning table, or null for a standalone sequence
 * @param ownedByColumn the owning column, or null
 */
public record Sequence(String name, String dataType, long start, long increment, long minValue, long maxValue,
                       long cache, boolean cycle, String ownedByTable, String ownedByColumn) {

    public boolean isOwned() {
        return ownedByTable != null;
    }

    /** The options clause shared by CREATE and ALTER SEQUENCE. */
    String optionsSql() {
        return "AS " + dataType + " INCREMENT BY " + increment + " MINVALUE " + minValue + " MAXVALUE " + maxValue
                + " START WITH " + start + " CACHE " + cache + (cycle ? " CYCLE" : " NO CYCLE");
    }

    Sequence withOwner(String table, String column) {
        return new Sequence(name, dataType, start, increment, minValue, maxValue, cache, cycle, table, column);
    }

    Sequence withName(String newName) {
        return new Sequence(newName, dataType, start, increment, minValue, maxValue, cache, cycle, ownedByTable, ownedByColumn);
    }
}
