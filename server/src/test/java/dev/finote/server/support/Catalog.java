package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A comparable description of the public schema, read from pg_catalog: every table's
 * columns (type, nullability, default, identity, position), constraints and indexes as
 * PostgreSQL itself prints them, and sequences. Two databases with the same description
 * have the same schema for everything Finote uses.
 */
public final class Catalog {

    private Catalog() {
    }

    /** The description of the given tables (all of public's tables when {@code tables} is empty). */
    public static List<String> describe(DatabaseUrl url, Set<String> tables) {
        String filter = tables.isEmpty() ? "" : " AND c.relname IN ("
                + tables.stream().map(t -> "'" + t.replace("'", "''") + "'").collect(Collectors.joining(",")) + ")";
        String excluded = " AND c.relname <> 'flyway_schema_history'";
        String columns = """
                SELECT 'column ' || c.relname || '.' || a.attname || ' #' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                       || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
                  FROM pg_attribute a
                  JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped""" + filter + excluded;
        String constraints = """
                SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
                  FROM pg_constraint k
                  JOIN pg_class c ON c.oid = k.conrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public'""" + filter + excluded;
        String indexes = """
                SELECT 'index ' || pg_get_indexdef(i.indexrelid)
                  FROM pg_index i
                  JOIN pg_class c ON c.oid = i.indrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public'""" + filter + excluded;
        String sequences = """
                SELECT 'sequence ' || s.relname || ' ' || format_type(q.seqtypid, NULL) || ' start ' || q.seqstart
                       || ' increment ' || q.seqincrement || ' min ' || q.seqmin || ' max ' || q.seqmax || ' cache ' || q.seqcache
                       || CASE WHEN q.seqcycle THEN ' cycle' ELSE '' END
                       || coalesce(' owned by ' || c.relname || '.' || a.attname, '')
                  FROM pg_sequence q
                  JOIN pg_class s ON s.oid = q.seqrelid
                  JOIN pg_namespace n ON n.oid = s.relnamespace
                  LEFT JOIN pg_depend dep ON dep.objid = s.oid AND dep.deptype IN ('a', 'i') AND dep.refobjsubid > 0
                  LEFT JOIN pg_class c ON c.oid = dep.refobjid
                  LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
                 WHERE n.nspname = 'public'""" + (tables.isEmpty() ? "" : " AND c.relname IN ("
                + tables.stream().map(t -> "'" + t + "'").collect(Collectors.joining(",")) + ")");
        String sql = "SELECT line FROM (" + columns + " UNION ALL " + constraints + " UNION ALL " + indexes
                + " UNION ALL " + sequences + ") AS description(line) ORDER BY line";
        return Sql.rows(url, sql).stream().map(row -> (String) row.getFirst()).toList();
    }
}
