package dev.finote.db.schema;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@code ALTER COLUMN … TYPE} behaves between two types: whether it needs a USING clause,
 * rewrites the table, or can lose data. Judged on the {@code format_type} names; anything not
 * known to be cheap and lossless is flagged.
 */
final class TypeChange {

    private static final Pattern TYPE = Pattern.compile("(.*?)(?:\\((\\d+)(?:,(\\d+))?\\))?( without time zone| with time zone)?(\\[\\])?");

    /** Numeric types by how much they hold; converting to a smaller one can fail or round. */
    private static final Map<String, Integer> NUMERIC_RANK = Map.of(
            "smallint", 1, "integer", 2, "bigint", 3, "real", 4, "double precision", 5, "numeric", 6);
    private static final List<String> STRINGS = List.of("text", "character varying", "character");
    private static final List<String> DATETIMES = List.of("date", "timestamp", "timestamp without time zone", "timestamp with time zone");

    record Parsed(String base, Integer length, Integer scale, boolean array) {
        static Parsed of(String type) {
            Matcher m = TYPE.matcher(type);
            if (!m.matches()) return new Parsed(type, null, null, false);
            String base = m.group(1) + (m.group(4) == null ? "" : m.group(4));
            return new Parsed(base, m.group(2) == null ? null : Integer.valueOf(m.group(2)),
                    m.group(3) == null ? null : Integer.valueOf(m.group(3)), m.group(5) != null);
        }

        boolean isString() {
            return STRINGS.contains(base);
        }

        boolean isNumeric() {
            return NUMERIC_RANK.containsKey(base);
        }

        boolean isDatetime() {
            return DATETIMES.contains(base);
        }
    }

    private TypeChange() {
    }

    /**
     * A USING clause when PostgreSQL has no assignment cast between the types: converting through
     * text works for any pair whose values print and parse (text to integer, enum to enum, …).
     * Between strings no USING is given on purpose: the assignment cast refuses a value too long for
     * {@code varchar(n)} where an explicit cast would silently cut it.
     */
    static String using(String from, String to, String column) {
        Parsed a = Parsed.of(from);
        Parsed b = Parsed.of(to);
        if (a.array() == b.array() && ((a.isString() && b.isString()) || (a.isNumeric() && b.isNumeric())
                || (a.isDatetime() && b.isDatetime()))) {
            return "";
        }
        return " USING " + Sql.ident(column) + "::text::" + to;
    }

    static Step withHazards(Step step, String table, Column from, Column to, boolean enumLabelsRemoved) {
        Parsed a = Parsed.of(from.type());
        Parsed b = Parsed.of(to.type());
        String where = table + "." + to.name();
        if (from.type().equals(to.type())) {
            return step.with(Hazard.LOCKS_TABLE, "rebuilds the indexes on " + where + " for the new collation under an ACCESS EXCLUSIVE lock");
        }
        if (binaryCompatible(a, b)) return step;
        if (enumLabelsRemoved) {
            step = step.with(Hazard.DELETES_DATA, "rows of " + table + " whose " + to.name() + " holds a value removed from the enum make the conversion fail");
        } else if (narrowing(a, b)) {
            step = step.with(Hazard.DELETES_DATA, "narrows " + where + " from " + from.type() + " to " + to.type()
                    + ": values that do not fit are rounded or make the change fail");
        }
        boolean recreatedEnum = a.base().endsWith(EnumGenerator.OLD_SUFFIX);
        return step.with(Hazard.REWRITES_TABLE, "rewrites " + table + " to convert " + to.name()
                + (recreatedEnum ? " to the recreated enum " + to.type() : " from " + from.type() + " to " + to.type()));
    }

    /** PostgreSQL changes these without touching a row. */
    private static boolean binaryCompatible(Parsed a, Parsed b) {
        if (a.array() != b.array()) return false;
        if (a.array()) return false; // be conservative about arrays
        if (a.isString() && !"character".equals(a.base()) && b.isString() && !"character".equals(b.base())) {
            return b.length() == null || (a.length() != null && b.length() >= a.length());
        }
        if ("numeric".equals(a.base()) && "numeric".equals(b.base())) {
            return b.length() == null || (a.length() != null && b.length() >= a.length() && java.util.Objects.equals(a.scale(), b.scale()));
        }
        if (a.base().equals(b.base()) && a.base().startsWith("timestamp")) {
            return b.length() == null || (a.length() != null && b.length() >= a.length());
        }
        return false;
    }

    /** Values of {@code a} may not fit {@code b}: the change may fail or round. */
    static boolean narrowing(Parsed a, Parsed b) {
        if (a.array() != b.array()) return true;
        if (b.isString()) {
            if (b.length() == null) return false;                   // anything prints into text
            return !(a.isString() && a.length() != null && a.length() <= b.length());
        }
        if (a.isNumeric() && b.isNumeric()) {
            int from = NUMERIC_RANK.get(a.base());
            int to = NUMERIC_RANK.get(b.base());
            if ("numeric".equals(b.base()) && b.length() != null) {
                if (!"numeric".equals(a.base()) || a.length() == null) return true;
                int aScale = a.scale() == null ? 0 : a.scale();
                int bScale = b.scale() == null ? 0 : b.scale();
                return b.length() - bScale < a.length() - aScale || bScale < aScale;
            }
            return to < from || (from >= 4 && to != 6 && to <= from) || (from == 6 && to != 6);
        }
        if (a.isDatetime() && b.isDatetime()) {
            if ("date".equals(b.base())) return !"date".equals(a.base());   // drops the time of day
            int fromPrecision = a.length() == null ? 6 : a.length();
            return b.length() != null && b.length() < fromPrecision;       // rounds fractional seconds
        }
        return true; // a different kind of type: values that do not convert make the change fail
    }
}
