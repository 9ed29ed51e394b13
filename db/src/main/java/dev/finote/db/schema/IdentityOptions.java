package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of an identity column's sequence ({@code GENERATED … AS IDENTITY (START WITH 10
 * INCREMENT BY 2)}), held in {@link Column#identityOptions()} as a {@link Sequence} without a
 * name or owner (PostgreSQL names it; renaming the table does not rename it). Written out only
 * where they differ from PostgreSQL's defaults for the column's type, so a plain identity column
 * keeps its plain definition. A change is made with {@code ALTER COLUMN … SET option}, which
 * never touches the sequence's current value (no {@code RESTART}: that value is data).
 */
final class IdentityOptions {

    private IdentityOptions() {
    }

    /** The options as read from {@code pg_sequence}, without the sequence's name. */
    static Sequence of(String dataType, long start, long increment, long minValue, long maxValue, long cache, boolean cycle) {
        return new Sequence(null, dataType, start, increment, minValue, maxValue, cache, cycle, null, null);
    }

    /** {@code " (START WITH 10 INCREMENT BY 2)"}, or empty when every option is PostgreSQL's default. */
    static String clause(Sequence options) {
        if (options == null) return "";
        List<String> parts = new ArrayList<>();
        if (options.increment() != 1) parts.add("INCREMENT BY " + options.increment());
        if (options.minValue() != defaultMin(options)) parts.add("MINVALUE " + options.minValue());
        if (options.maxValue() != defaultMax(options)) parts.add("MAXVALUE " + options.maxValue());
        if (options.start() != defaultStart(options)) parts.add("START WITH " + options.start());
        if (options.cache() != 1) parts.add("CACHE " + options.cache());
        if (options.cycle()) parts.add("CYCLE");
        return parts.isEmpty() ? "" : " (" + String.join(" ", parts) + ")";
    }

    /** {@code " SET INCREMENT BY 2 SET START WITH 10"}: the options of {@code want} that differ from {@code had}. */
    static String changes(Sequence had, Sequence want) {
        StringBuilder sql = new StringBuilder();
        if (had.increment() != want.increment()) sql.append(" SET INCREMENT BY ").append(want.increment());
        if (had.minValue() != want.minValue()) sql.append(" SET MINVALUE ").append(want.minValue());
        if (had.maxValue() != want.maxValue()) sql.append(" SET MAXVALUE ").append(want.maxValue());
        if (had.start() != want.start()) sql.append(" SET START WITH ").append(want.start());
        if (had.cache() != want.cache()) sql.append(" SET CACHE ").append(want.cache());
        if (had.cycle() != want.cycle()) sql.append(want.cycle() ? " SET CYCLE" : " SET NO CYCLE");
        return sql.toString();
    }

    /**
     * The options after the column's type changes to {@code type}: PostgreSQL moves a bound that
     * was the old type's limit to the new type's (ALTER SEQUENCE … AS), so that is no change to plan.
     */
    static Sequence retyped(Sequence had, String type) {
        if (had == null || had.dataType().equals(type)) return had;
        boolean ascending = had.increment() > 0;
        long max = had.maxValue() == typeMax(had.dataType()) ? (ascending ? typeMax(type) : -1) : had.maxValue();
        long min = had.minValue() == typeMin(had.dataType()) ? (ascending ? 1 : typeMin(type)) : had.minValue();
        return new Sequence(null, type, had.start(), had.increment(), min, max, had.cache(), had.cycle(), null, null);
    }

    /** True when the options differ in something {@link #changes} can set (the type follows the column's). */
    static boolean differ(Sequence had, Sequence want) {
        return had != null && want != null && !changes(had, want).isEmpty();
    }

    private static long defaultMin(Sequence options) {
        return options.increment() > 0 ? 1 : typeMin(options.dataType());
    }

    private static long defaultMax(Sequence options) {
        return options.increment() > 0 ? typeMax(options.dataType()) : -1;
    }

    private static long defaultStart(Sequence options) {
        return options.increment() > 0 ? options.minValue() : options.maxValue();
    }

    private static long typeMax(String type) {
        return switch (type) {
            case "smallint" -> Short.MAX_VALUE;
            case "integer" -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    private static long typeMin(String type) {
        return switch (type) {
            case "smallint" -> Short.MIN_VALUE;
            case "integer" -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }
}
