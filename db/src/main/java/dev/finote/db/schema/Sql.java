package dev.finote.db.schema;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Identifier and literal quoting for generated DDL, matching PostgreSQL's own output. */
public final class Sql {

    /**
     * Keywords that PostgreSQL's {@code quote_ident} quotes: every category but "unreserved"
     * ({@code SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'}, PostgreSQL 18; a test
     * checks this list against the running server).
     */
    static final Set<String> QUOTED_KEYWORDS = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
            "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check",
            "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
            "current_catalog", "current_date", "current_role", "current_schema", "current_time",
            "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct",
            "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign",
            "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in",
            "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull",
            "join", "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg",
            "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading",
            "least", "left", "like", "limit", "localtime", "localtimestamp", "merge_action", "national", "natural",
            "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only",
            "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position", "precision", "primary",
            "real", "references", "returning", "right", "row", "select", "session_user", "setof", "similar",
            "smallint", "some", "substring", "symmetric", "system_user", "table", "tablesample", "then", "time",
            "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values",
            "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
            "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
            "xmlserialize", "xmltable");

    private Sql() {
    }

    /** Quotes an identifier only when needed, as PostgreSQL's {@code quote_ident} does. */
    public static String ident(String identifier) {
        if (isPlain(identifier) && !QUOTED_KEYWORDS.contains(identifier)) return identifier;
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static boolean isPlain(String identifier) {
        if (identifier.isEmpty()) return false;
        char first = identifier.charAt(0);
        if (!(first >= 'a' && first <= 'z') && first != '_') return false;
        for (int i = 1; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') return false;
        }
        return true;
    }

    /**
     * An object's catalog key as SQL names it: {@code notes} in public, {@code billing.invoices}
     * for {@code billing.invoices} elsewhere. A key holds at most one dot, the schema's: names with
     * a dot of their own are refused when the catalog is read.
     */
    public static String qualified(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? ident(key) : ident(key.substring(0, dot)) + "." + ident(key.substring(dot + 1));
    }

    /** The schema part of a key followed by a dot ({@code billing.}), empty in public: for an index, which lives in its table's schema. */
    static String schemaPrefix(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? "" : ident(key.substring(0, dot)) + ".";
    }

    /** A key's own name without its schema, as {@code RENAME TO} takes it. */
    static String local(String key) {
        return ident(key.substring(key.indexOf('.') + 1));
    }

    /** A comma-separated identifier list. */
    public static String identifiers(List<String> identifiers) {
        return identifiers.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    /** A string literal ({@code standard_conforming_strings} on, the default since PostgreSQL 9.1). */
    public static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
