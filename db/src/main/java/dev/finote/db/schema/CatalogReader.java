package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code public} schema and the others a user made ({@link #MANAGED_SCHEMA}) from
 * {@code pg_catalog} (PostgreSQL 14 to 18), letting
 * PostgreSQL print every type and expression ({@code format_type}, {@code pg_get_expr},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef}) so two databases built from the same
 * DDL read identically. One query per kind of object, never one per table.
 *
 * <p>Reads in one read-only REPEATABLE READ snapshot with {@code search_path} set to
 * {@code public}, so names in public print unqualified whatever the connection's own path is, and
 * names elsewhere schema-qualified; objects outside public are keyed {@code schema.name}.
 */
public final class CatalogReader {

    /** Flyway's history table: bookkeeping, never part of the schema. */
    public static final String FLYWAY_HISTORY_TABLE = "flyway_schema_history";

    /** Not owned by an extension (pg_depend deptype 'e'); {@code %s} is the catalog, {@code %s} the oid column. */
    private static final String NOT_FROM_EXTENSION = " NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '%s'::regclass"
            + " AND d.objid = %s AND d.deptype = 'e') ";

    /**
     * The schemas whose objects the engine manages: public and every schema a user made (not
     * PostgreSQL's own, not one an extension created, not {@code drizzle}, which holds Drizzle's
     * migration history: bookkeeping, like Flyway's table). {@code %s} is a pg_namespace alias.
     */
    private static final String MANAGED_SCHEMA = "(%1$s.nspname = 'public' OR (%1$s.nspname NOT LIKE 'pg\\_%%' AND %1$s.nspname <> 'information_schema'"
            + " AND %1$s.nspname <> 'drizzle'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_namespace'::regclass AND e.objid = %1$s.oid AND e.deptype = 'e')))";

    private static final Pattern FUNCTION_CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    private final Connection connection;
    private final String[] ignored;

    private CatalogReader(Connection connection, Set<String> ignoredTables) {
        this.connection = connection;
        Set<String> names = new TreeSet<>(ignoredTables);
        names.add(FLYWAY_HISTORY_TABLE);
        this.ignored = names.toArray(String[]::new);
    }

    /**
     * The catalog of {@code public}, leaving out {@code ignoredTables} and Flyway's history table.
     *
     * @throws UnsupportedSchemaObjectsException naming every object in public the engine does not manage
     */
    public static Catalog read(Connection connection, Set<String> ignoredTables) {
        try {
            return new CatalogReader(connection, ignoredTables).readInSnapshot();
        } catch (SQLException e) {
            throw new DatabaseException("could not read the database schema: " + e.getMessage(), e);
        }
    }

    private Catalog readInSnapshot() throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        String previousPath = null;
        if (autoCommit) {
            connection.setAutoCommit(false);
            execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        } else {
            previousPath = queryString("SELECT current_setting('search_path')");
        }
        try {
            execute("SELECT set_config('search_path', 'public', true)");
            List<String> unsupported = unsupportedObjects();
            unsupported.addAll(unsupportedInOtherSchemas());
            if (!unsupported.isEmpty()) throw new UnsupportedSchemaObjectsException(unsupported);
            return readCatalog();
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
            } else {
                try (PreparedStatement restore = connection.prepareStatement("SELECT set_config('search_path', ?, true)")) {
                    restore.setString(1, previousPath);
                    restore.execute();
                }
            }
        }
    }

    private Catalog readCatalog() throws SQLException {
        Map<String, TableBuilder> tables = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , obj_description(c.oid, 'pg_class')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND c.relname <> ALL (?) AND""" + notFromExtension("pg_class", "c.oid"), row -> {
            tables.put(row.getString(1), new TableBuilder(row.getString(1), row.getString(2)));
        });
        readColumns(tables);
        readIdentityOptions(tables);
        readConstraints(tables);
        readIndexes(tables);
        Map<String, Table> built = new TreeMap<>();
        tables.forEach((name, builder) -> built.put(name, builder.build()));
        Catalog catalog = new Catalog(built, readEnums(), readSequences(), readExtensions(), readRoutines(), readTriggers(), readViews(), readDomains(),
                Map.of(), readSchemas(), readMaterializedViews(), readPolicies(), readRowSecurity(), readPartitionKeys(), readPartitions());
        return catalog.withGrants(readGrants(catalog));
    }

    /** The schemas besides public whose objects the engine manages ({@link #MANAGED_SCHEMA}). */
    private Map<String, Namespace> readSchemas() throws SQLException {
        Map<String, Namespace> schemas = new TreeMap<>();
        query("SELECT n.nspname FROM pg_namespace n WHERE" + managed("n") + "AND n.nspname <> 'public'",
                row -> schemas.put(row.getString(1), new Namespace(row.getString(1))));
        return schemas;
    }

    /**
     * Privileges granted on the catalog's tables (partitioned ones too), views, materialized views, sequences and routines, from their ACLs;
     * the owner's own are implicit and left out. A routine without an ACL has PostgreSQL's
     * default ({@code EXECUTE} to {@code PUBLIC}), read through {@code acldefault}.
     */
    private Map<String, Grant> readGrants(Catalog catalog) throws SQLException {
        Map<String, Grant> grants = new TreeMap<>();
        query("""
                SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, """ + key("n", "c.relname") + """
                ,
                       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) a
                WHERE""" + managed("n") + """
                AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND a.grantee <> c.relowner AND c.relname <> ALL (?)
                UNION ALL
                SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                       """ + routineKey("n", "p") + """
                ,
                       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                WHERE""" + managed("n") + """
                AND p.prokind IN ('f', 'p') AND a.grantee <> p.proowner
                UNION ALL
                SELECT 'SCHEMA', n.nspname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
                FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a
                WHERE""" + managed("n") + """
                AND n.nspname <> 'public' AND a.grantee <> n.nspowner""", row -> {
            Grant grant = new Grant(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getBoolean(5));
            boolean managed = switch (grant.objectType()) {
                case "TABLE" -> catalog.tables().containsKey(grant.object()) || catalog.views().containsKey(grant.object())
                        || catalog.materializedViews().containsKey(grant.object());
                case "SEQUENCE" -> catalog.sequences().containsKey(grant.object());
                case "SCHEMA" -> catalog.schemas().containsKey(grant.object());
                default -> catalog.routines().containsKey(grant.object());
            };
            if (managed) grants.put(grant.key(), grant);
        });
        return grants;
    }

    private void readColumns(Map<String, TableBuilder> tables) throws SQLException {
        record RawColumn(String table, String name, String type, boolean notNull, String expression, String identity,
                         String generated, String collation, String comment) {
        }
        List<RawColumn> raw = new ArrayList<>();
        Set<String> calledFunctions = new HashSet<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
                       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
                       col_description(c.oid, a.attnum)
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                WHERE""" + managed("n") + """
                AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                  AND c.relname <> ALL (?)
                ORDER BY c.relname, a.attnum""", row -> {
            RawColumn column = new RawColumn(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4),
                    row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9));
            raw.add(column);
            if (column.expression() != null && (column.generated() == null || column.generated().isEmpty())) {
                Matcher call = FUNCTION_CALL.matcher(column.expression());
                while (call.find()) calledFunctions.add(call.group(1).toLowerCase());
            }
        });
        Set<String> volatileFunctions = volatileFunctions(calledFunctions);
        for (RawColumn c : raw) {
            TableBuilder table = tables.get(c.table());
            if (table == null) continue; // a partition or extension-owned table
            boolean generated = c.generated() != null && !c.generated().isEmpty();
            String defaultExpression = generated ? null : c.expression();
            boolean volatileDefault = false;
            if (defaultExpression != null) {
                Matcher call = FUNCTION_CALL.matcher(defaultExpression);
                while (call.find()) volatileDefault |= volatileFunctions.contains(call.group(1).toLowerCase());
            }
            Column.Identity identity = switch (c.identity() == null ? "" : c.identity()) {
                case "a" -> Column.Identity.ALWAYS;
                case "d" -> Column.Identity.BY_DEFAULT;
                default -> Column.Identity.NONE;
            };
            String generatedKind = !generated ? null : "s".equals(c.generated()) ? "STORED" : "VIRTUAL";
            table.columns.put(c.name(), new Column(c.name(), c.type(), c.notNull(), defaultExpression, volatileDefault,
                    identity, generated ? c.expression() : null, generatedKind, c.collation(), c.comment()));
        }
    }

    /** The options of identity columns' sequences (deptype 'i'), which {@link #readSequences()} leaves out. */
    private void readIdentityOptions(Map<String, TableBuilder> tables) throws SQLException {
        query("""
                SELECT """ + key("n", "t.relname") + """
                , a.attname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                       s.seqcache, s.seqcycle
                FROM pg_sequence s
                JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'
                JOIN pg_class t ON t.oid = d.refobjid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                WHERE""" + managed("n") + """
                AND t.relname <> ALL (?)""", row -> {
            TableBuilder table = tables.get(row.getString(1));
            Column column = table == null ? null : table.columns.get(row.getString(2));
            if (column == null) return;
            table.columns.put(column.name(), column.withIdentityOptions(IdentityOptions.of(row.getString(3), row.getLong(4), row.getLong(5),
                    row.getLong(6), row.getLong(7), row.getLong(8), row.getBoolean(9))));
        });
    }

    private Set<String> volatileFunctions(Set<String> names) throws SQLException {
        Set<String> result = new HashSet<>();
        if (names.isEmpty()) return result;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v' AND proname = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) result.add(row.getString(1));
            }
        }
        return result;
    }

    private void readConstraints(Map<String, TableBuilder> tables) throws SQLException {
        query("""
                SELECT """ + key("n", "c.relname") + """
                , con.conname, con.contype::text, pg_get_constraintdef(con.oid),
                       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
                       """ + key("fn", "fc.relname") + """
                ,
                       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
                       con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
                       con.condeferrable, con.condeferred
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_class fc ON fc.oid = con.confrelid
                LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'f', 'c')
                  AND c.relname <> ALL (?)
                ORDER BY c.relname, con.conname""", row -> {
            TableBuilder table = tables.get(row.getString(1));
            if (table == null) return;
            String name = row.getString(2);
            String definition = stripNotValid(row.getString(4));
            List<String> columns = strings(row.getArray(5));
            switch (row.getString(3)) {
                case "p" -> table.primaryKey = new KeyConstraint(name, true, columns, definition);
                case "u" -> table.uniques.put(name, new KeyConstraint(name, false, columns, definition));
                case "c" -> table.checks.put(name, new CheckConstraint(name, definition));
                case "f" -> table.foreignKeys.put(name, new ForeignKey(name, columns, row.getString(6), strings(row.getArray(7)),
                        action(row.getString(8)), action(row.getString(9)), match(row.getString(10)),
                        row.getBoolean(11), row.getBoolean(12)));
                default -> throw new IllegalStateException("unexpected constraint type " + row.getString(3));
            }
        });
    }

    private static String stripNotValid(String definition) {
        return definition.endsWith(" NOT VALID") ? definition.substring(0, definition.length() - " NOT VALID".length()) : definition;
    }

    private static String action(String code) {
        return switch (code) {
            case "a" -> "NO ACTION";
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> throw new IllegalStateException("unexpected foreign key action " + code);
        };
    }

    private static String match(String code) {
        return switch (code) {
            case "f" -> "FULL";
            case "p" -> "PARTIAL";
            default -> "SIMPLE";
        };
    }

    private void readIndexes(Map<String, TableBuilder> tables) throws SQLException {
        query("""
                SELECT """ + key("n", "t.relname") + """
                , i.relname, ix.indisunique, am.amname, pg_get_indexdef(i.oid), ix.indisvalid,
                       quote_ident(i.relname), quote_ident(n.nspname) || '.' || quote_ident(t.relname), t.relkind::text
                FROM pg_index ix
                JOIN pg_class i ON i.oid = ix.indexrelid
                JOIN pg_class t ON t.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_am am ON am.oid = i.relam
                WHERE""" + managed("n") + """
                AND t.relkind IN ('r', 'p') AND t.relname <> ALL (?)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid
                                  AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))
                ORDER BY t.relname, i.relname""", row -> {
            TableBuilder table = tables.get(row.getString(1));
            if (table == null) return;
            boolean unique = row.getBoolean(3);
            String method = row.getString(4);
            String definition = row.getString(5);
            // pg_get_indexdef prints "CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING method (…)…"
            String prefix = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + row.getString(7) + " ON "
                    + ("p".equals(row.getString(9)) ? "ONLY " : "") + row.getString(8)
                    + " USING " + method + " ";
            if (!definition.startsWith(prefix)) {
                throw new DatabaseException("unexpected index definition from pg_get_indexdef: " + definition);
            }
            table.indexes.put(row.getString(2), new Index(row.getString(2), unique, method,
                    definition.substring(prefix.length()), row.getBoolean(6)));
        });
    }

    private Map<String, EnumType> readEnums() throws SQLException {
        Map<String, EnumType> enums = new TreeMap<>();
        query("""
                SELECT """ + key("n", "t.typname") + """
                , ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE""" + managed("n") + """
                AND t.typtype = 'e' AND t.typname <> ALL (?) AND""" + notFromExtension("pg_type", "t.oid"),
                row -> enums.put(row.getString(1), new EnumType(row.getString(1), strings(row.getArray(2)))));
        return enums;
    }

    private Map<String, Sequence> readSequences() throws SQLException {
        Map<String, Sequence> sequences = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                       s.seqcache, s.seqcycle, """ + key("owner_n", "owner.relname") + """
                , a.attname
                FROM pg_sequence s
                JOIN pg_class c ON c.oid = s.seqrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                LEFT JOIN pg_class owner ON owner.oid = d.refobjid
                LEFT JOIN pg_namespace owner_n ON owner_n.oid = owner.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE""" + managed("n") + """
                AND c.relname <> ALL (?)
                  AND (d.deptype IS NULL OR d.deptype = 'a')
                  AND (owner.relname IS NULL OR owner.relname <> ALL (?))
                  AND""" + notFromExtension("pg_class", "c.oid"), row -> {
            sequences.put(row.getString(1), new Sequence(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4),
                    row.getLong(5), row.getLong(6), row.getLong(7), row.getBoolean(8), row.getString(9), row.getString(10)));
        });
        return sequences;
    }

    private Map<String, Extension> readExtensions() throws SQLException {
        Map<String, Extension> extensions = new TreeMap<>();
        query("""
                SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname <> 'plpgsql' AND e.extname <> ALL (?)""",
                row -> extensions.put(row.getString(1), new Extension(row.getString(1), row.getString(2))));
        return extensions;
    }

    /** Functions and procedures in public, keyed by name and argument types (overloads are separate routines). */
    private Map<String, Routine> readRoutines() throws SQLException {
        Map<String, Routine> routines = new TreeMap<>();
        query("""
                SELECT """ + routineKey("n", "p") + """
                , p.prokind = 'p',
                       pg_get_function_arguments(p.oid), CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END,
                       l.lanname, pg_get_functiondef(p.oid)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
                WHERE""" + managed("n") + """
                AND p.prokind IN ('f', 'p') AND""" + notFromExtension("pg_proc", "p.oid"), row -> {
            Routine routine = new Routine(row.getString(1), row.getBoolean(2), row.getString(3), row.getString(4), row.getString(5),
                    row.getString(6).strip());
            routines.put(routine.signature(), routine);
        });
        return routines;
    }

    /** Triggers on managed tables, printed with names unqualified where search_path (public) finds them. */
    private Map<String, Trigger> readTriggers() throws SQLException {
        Map<String, Trigger> triggers = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , t.tgname, """ + routineKey("pn", "p") + """
                ,
                       pg_get_triggerdef(t.oid, true), t.tgenabled::text
                FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
                WHERE""" + managed("n") + """
                AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT t.tgisinternal AND c.relname <> ALL (?)
                  AND""" + notFromExtension("pg_trigger", "t.oid"), row -> {
            Trigger trigger = new Trigger(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5));
            triggers.put(trigger.key(), trigger);
        });
        return triggers;
    }

    /** Domains in public with their default, NOT NULL and checks. */
    private Map<String, Domain> readDomains() throws SQLException {
        Map<String, Map<String, String>> checks = new HashMap<>();
        query("""
                SELECT """ + key("n", "t.typname") + """
                , con.conname, pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE""" + managed("n") + """
                AND con.contype = 'c' AND t.typname <> ALL (?)""",
                row -> checks.computeIfAbsent(row.getString(1), k -> new TreeMap<>()).put(row.getString(2), row.getString(3)));
        Map<String, Domain> domains = new TreeMap<>();
        query("""
                SELECT """ + key("n", "t.typname") + """
                , format_type(t.typbasetype, t.typtypmod), t.typdefault, t.typnotnull
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE""" + managed("n") + """
                AND t.typtype = 'd' AND t.typname <> ALL (?) AND""" + notFromExtension("pg_type", "t.oid"),
                row -> domains.put(row.getString(1), new Domain(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4),
                        checks.getOrDefault(row.getString(1), Map.of()))));
        return domains;
    }

    /** Views in public, with the columns and views each reads (its rewrite rule's dependencies). */
    private Map<String, View> readViews() throws SQLException {
        Map<String, String> definitions = new TreeMap<>();
        Map<String, Set<String>> columns = new HashMap<>();
        Map<String, Set<String>> views = new HashMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , 'CREATE VIEW ' || CASE WHEN n.nspname = 'public' THEN '' ELSE quote_ident(n.nspname) || '.' END || quote_ident(c.relname)
                       || coalesce(' WITH (' || array_to_string(c.reloptions, ', ') || ')', '') || E' AS\n' || pg_get_viewdef(c.oid, true)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind = 'v' AND c.relname <> ALL (?) AND""" + notFromExtension("pg_class", "c.oid"), row -> {
            String definition = row.getString(2).strip();
            definitions.put(row.getString(1), definition.endsWith(";") ? definition.substring(0, definition.length() - 1) : definition);
        });
        query("""
                SELECT DISTINCT """ + key("n", "v.relname") + """
                , """ + key("tn", "t.relname") + """
                , t.relkind::text, a.attname
                FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
                JOIN pg_rewrite r ON r.ev_class = v.oid
                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
                WHERE""" + managed("n") + """
                AND v.relkind = 'v' AND t.oid <> v.oid AND v.relname <> ALL (?)""", row -> {
            if (row.getString(3).equals("v") || row.getString(3).equals("m")) views.computeIfAbsent(row.getString(1), k -> new TreeSet<>()).add(row.getString(2));
            else if (row.getString(4) != null) columns.computeIfAbsent(row.getString(1), k -> new TreeSet<>()).add(row.getString(2) + "." + row.getString(4));
        });
        Map<String, View> result = new TreeMap<>();
        definitions.forEach((name, definition) -> result.put(name,
                new View(name, definition, columns.getOrDefault(name, Set.of()), views.getOrDefault(name, Set.of()))));
        return result;
    }

    /**
     * What the engine does not manage in the schemas besides public, as {@link #unsupportedObjects()}
     * names it in public; and, in every managed schema, a name holding a dot, which a key
     * ({@code schema.name}, {@link Sql#qualified}) could not tell apart.
     */
    private List<String> unsupportedInOtherSchemas() throws SQLException {
        List<String> found = new ArrayList<>();
        String other = managed("n") + "AND n.nspname <> 'public'";
        query("""
                SELECT CASE WHEN c.relkind = 'p' THEN 'partition ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' that is partitioned itself'
                            ELSE CASE WHEN c.relkind = 'f' THEN 'foreign table ' WHEN c.relkind = 'c' THEN 'composite type '
                            WHEN c.reloftype <> 0 THEN 'typed table '
                            WHEN c.relpersistence = 'u' THEN 'unlogged table ' ELSE 'inheriting table ' END
                       || quote_ident(n.nspname) || '.' || quote_ident(c.relname) END
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + other + """
                AND c.relname <> ALL (?)
                  AND (c.relkind IN ('f', 'c') OR (c.relkind = 'p' AND c.relispartition) OR (c.relkind = 'r' AND NOT c.relispartition AND (c.reloftype <> 0
                       OR c.relpersistence = 'u' OR EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.oid))))
                  AND""" + notFromExtension("pg_class", "c.oid") + """
                UNION ALL
                SELECT CASE p.prokind WHEN 'a' THEN 'aggregate ' ELSE 'window function ' END || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE""" + other + """
                AND p.prokind IN ('a', 'w') AND""" + notFromExtension("pg_proc", "p.oid") + """

                UNION ALL
                SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + other + """
                AND r.rulename <> '_RETURN'
                UNION ALL
                SELECT CASE t.typtype WHEN 'r' THEN 'range type ' WHEN 'p' THEN 'pseudo type ' ELSE 'base type ' END
                       || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE""" + other + """
                AND t.typtype IN ('r', 'p', 'b') AND t.typcategory <> 'A' AND""" + notFromExtension("pg_type", "t.oid") + """
                UNION ALL
                SELECT 'exclusion constraint ' || quote_ident(con.conname) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + other + """
                AND con.contype = 'x'
                UNION ALL
                SELECT 'foreign key ' || quote_ident(con.conname) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                       || ' referencing ' || quote_ident(fn.nspname) || '.' || quote_ident(fc.relname) || ' (outside the managed tables)'
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class fc ON fc.oid = con.confrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                WHERE""" + other + """
                AND con.contype = 'f' AND (NOT""" + managed("fn") + """
                OR fc.relname = ANY (?))
                UNION ALL
                SELECT 'name with a dot ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relname LIKE '%.%' AND c.relkind IN ('r', 'v', 'S', 'm', 'p')
                UNION ALL
                SELECT 'name with a dot ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE""" + managed("n") + """
                AND t.typname LIKE '%.%' AND t.typtype IN ('e', 'd')
                UNION ALL
                SELECT 'name with a dot ' || quote_ident(n.nspname)
                FROM pg_namespace n WHERE""" + managed("n") + """
                AND n.nspname LIKE '%.%'
                ORDER BY 1""", row -> found.add(row.getString(1)));
        return found;
    }

    /** The partition key of each partitioned table in the managed schemas, e.g. {@code RANGE (created_at)}. */
    private Map<String, String> readPartitionKeys() throws SQLException {
        Map<String, String> keys = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , pg_get_partkeydef(c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind = 'p' AND NOT c.relispartition AND c.relname <> ALL (?)""",
                row -> keys.put(row.getString(1), row.getString(2)));
        return keys;
    }

    /** Partitions (not themselves partitioned) of partitioned tables, with their bounds; keyed as tables are. */
    private Map<String, Partition> readPartitions() throws SQLException {
        Map<String, Partition> partitions = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , """ + key("pn", "p.relname") + """
                , pg_get_expr(c.relpartbound, c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind = 'r' AND c.relispartition AND c.relname <> ALL (?)""",
                row -> partitions.put(row.getString(1), new Partition(row.getString(1), row.getString(2), row.getString(3))));
        return partitions;
    }

    /** Policies on tables in the managed schemas, with the columns their expressions read. */
    private Map<String, Policy> readPolicies() throws SQLException {
        Map<String, Set<String>> columns = new HashMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , p.polname, """ + key("tn", "t.relname") + """
                , a.attname
                FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_class'::regclass
                     AND d.refobjsubid > 0
                JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                WHERE""" + managed("n") + """
                AND c.relname <> ALL (?)""",
                row -> columns.computeIfAbsent(row.getString(1) + "." + row.getString(2), k -> new TreeSet<>())
                        .add(row.getString(3) + "." + row.getString(4)));
        Map<String, Policy> policies = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , p.polname, p.polpermissive,
                       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                       CASE WHEN p.polroles = '{0}' THEN ARRAY['public']::text[]
                            ELSE ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY (p.polroles)) END,
                       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
                FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relname <> ALL (?)""", row -> {
            String key = row.getString(1) + "." + row.getString(2);
            policies.put(key, new Policy(row.getString(1), row.getString(2), row.getBoolean(3), row.getString(4), strings(row.getArray(5)),
                    row.getString(6), row.getString(7), columns.getOrDefault(key, Set.of())));
        });
        return policies;
    }

    /** Tables in the managed schemas with row level security enabled or forced. */
    private Map<String, RowSecurity> readRowSecurity() throws SQLException {
        Map<String, RowSecurity> result = new TreeMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , c.relrowsecurity, c.relforcerowsecurity
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity)
                  AND c.relname <> ALL (?)""",
                row -> result.put(row.getString(1), new RowSecurity(row.getString(1), row.getBoolean(2), row.getBoolean(3))));
        return result;
    }

    /** Materialized views in the managed schemas with what each reads and its indexes. */
    private Map<String, MaterializedView> readMaterializedViews() throws SQLException {
        Map<String, String> definitions = new TreeMap<>();
        Map<String, Set<String>> columns = new HashMap<>();
        Map<String, Set<String>> views = new HashMap<>();
        Map<String, Map<String, Index>> indexes = new HashMap<>();
        query("""
                SELECT """ + key("n", "c.relname") + """
                , 'CREATE MATERIALIZED VIEW ' || CASE WHEN n.nspname = 'public' THEN '' ELSE quote_ident(n.nspname) || '.' END || quote_ident(c.relname)
                       || coalesce(' WITH (' || array_to_string(c.reloptions, ', ') || ')', '') || E' AS\n' || pg_get_viewdef(c.oid, true)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE""" + managed("n") + """
                AND c.relkind = 'm' AND c.relname <> ALL (?) AND""" + notFromExtension("pg_class", "c.oid"), row -> {
            String definition = row.getString(2).strip();
            definitions.put(row.getString(1), definition.endsWith(";") ? definition.substring(0, definition.length() - 1) : definition);
        });
        if (definitions.isEmpty()) return Map.of();
        query("""
                SELECT DISTINCT """ + key("n", "v.relname") + """
                , """ + key("tn", "t.relname") + """
                , t.relkind::text, a.attname
                FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
                JOIN pg_rewrite r ON r.ev_class = v.oid
                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
                WHERE""" + managed("n") + """
                AND v.relkind = 'm' AND t.oid <> v.oid AND v.relname <> ALL (?)""", row -> {
            if (row.getString(3).equals("v") || row.getString(3).equals("m")) views.computeIfAbsent(row.getString(1), k -> new TreeSet<>()).add(row.getString(2));
            else if (row.getString(4) != null) columns.computeIfAbsent(row.getString(1), k -> new TreeSet<>()).add(row.getString(2) + "." + row.getString(4));
        });
        query("""
                SELECT """ + key("n", "t.relname") + """
                , i.relname, ix.indisunique, am.amname, pg_get_indexdef(i.oid), ix.indisvalid,
                       quote_ident(i.relname), quote_ident(n.nspname) || '.' || quote_ident(t.relname)
                FROM pg_index ix
                JOIN pg_class i ON i.oid = ix.indexrelid
                JOIN pg_class t ON t.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_am am ON am.oid = i.relam
                WHERE""" + managed("n") + """
                AND t.relkind = 'm' AND t.relname <> ALL (?)""",
                row -> indexes.computeIfAbsent(row.getString(1), k -> new TreeMap<>()).put(row.getString(2), index(row, "")));
        Map<String, MaterializedView> result = new TreeMap<>();
        definitions.forEach((name, definition) -> result.put(name, new MaterializedView(name, definition,
                columns.getOrDefault(name, Set.of()), views.getOrDefault(name, Set.of()), indexes.getOrDefault(name, Map.of()))));
        return result;
    }

    /**
     * The index of a row of (table, index, unique, method, pg_get_indexdef, valid, quoted index, quoted
     * schema.table); {@code only} is {@code "ONLY "} for the index of a partitioned table.
     */
    private static Index index(ResultSet row, String only) throws SQLException {
        boolean unique = row.getBoolean(3);
        String method = row.getString(4);
        String definition = row.getString(5);
        String prefix = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + row.getString(7) + " ON " + only + row.getString(8)
                + " USING " + method + " ";
        if (!definition.startsWith(prefix)) {
            throw new DatabaseException("unexpected index definition from pg_get_indexdef: " + definition);
        }
        return new Index(row.getString(2), unique, method, definition.substring(prefix.length()), row.getBoolean(6));
    }

    /** Everything in public the engine does not manage, each named the way an operator would look for it. */
    private List<String> unsupportedObjects() throws SQLException {
        List<String> found = new ArrayList<>();
        query("""
                SELECT CASE WHEN c.relkind = 'p' THEN 'partition public.' || quote_ident(c.relname) || ' that is partitioned itself'
                            WHEN c.relkind = 'f' THEN 'foreign table public.' || quote_ident(c.relname)
                            WHEN c.relkind = 'c' THEN 'composite type public.' || quote_ident(c.relname)
                            WHEN c.relispartition THEN 'partition public.' || quote_ident(c.relname)
                            WHEN c.reloftype <> 0 THEN 'typed table public.' || quote_ident(c.relname)
                            WHEN c.relpersistence = 'u' THEN 'unlogged table public.' || quote_ident(c.relname)
                            ELSE 'table public.' || quote_ident(c.relname) || ' inheriting from '
                                 || (SELECT string_agg(p.relname, ', ') FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
                                     WHERE h.inhrelid = c.oid) END
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relname <> ALL (?)
                  AND (c.relkind IN ('f', 'c') OR (c.relkind = 'p' AND c.relispartition) OR (c.relkind = 'r' AND NOT c.relispartition AND (c.reloftype <> 0
                       OR c.relpersistence = 'u' OR EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.oid))))
                  AND""" + notFromExtension("pg_class", "c.oid") + """
                UNION ALL
                SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END
                       || ' public.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.prokind IN ('a', 'w') AND""" + notFromExtension("pg_proc", "p.oid") + """
                UNION ALL
                SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || quote_ident(c.relname)
                FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND r.rulename <> '_RETURN' AND c.relname <> ALL (?)
                  AND""" + notFromExtension("pg_rewrite", "r.oid") + """
                UNION ALL
                SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'p' THEN 'pseudo type'
                       ELSE 'base type' END || ' public.' || quote_ident(t.typname)
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'public' AND t.typtype IN ('r', 'p', 'b') AND t.typcategory <> 'A'
                  AND""" + notFromExtension("pg_type", "t.oid") + """
                UNION ALL
                SELECT 'exclusion constraint ' || quote_ident(con.conname) || ' on ' || quote_ident(c.relname)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND con.contype = 'x' AND c.relname <> ALL (?)
                UNION ALL
                SELECT 'foreign key ' || quote_ident(con.conname) || ' on ' || quote_ident(c.relname) || ' referencing '
                       || quote_ident(fn.nspname) || '.' || quote_ident(fc.relname) || ' (outside the managed tables)'
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class fc ON fc.oid = con.confrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                WHERE n.nspname = 'public' AND con.contype = 'f' AND c.relname <> ALL (?)
                  AND (NOT""" + managed("fn") + """
                OR fc.relname = ANY (?))
                UNION ALL
                SELECT 'collation public.' || quote_ident(co.collname)
                FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
                WHERE n.nspname = 'public' AND""" + notFromExtension("pg_collation", "co.oid") + """
                UNION ALL
                SELECT 'operator public.' || o.oprname
                FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
                WHERE n.nspname = 'public' AND""" + notFromExtension("pg_operator", "o.oid") + """
                UNION ALL
                SELECT 'statistics object public.' || quote_ident(s.stxname)
                FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
                WHERE n.nspname = 'public'
                UNION ALL
                SELECT 'text search configuration public.' || quote_ident(c.cfgname)
                FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
                WHERE n.nspname = 'public' AND""" + notFromExtension("pg_ts_config", "c.oid") + """
                ORDER BY 1""", row -> found.add(row.getString(1)));
        return found;
    }

    /**
     * In a schema the engine manages ({@link #MANAGED_SCHEMA}), as an SQL condition with spaces around
     * it; {@code namespace} is a pg_namespace alias. Backup, restore and reset cover the same schemas.
     */
    public static String managed(String namespace) {
        return " " + MANAGED_SCHEMA.formatted(namespace) + " ";
    }

    /** An object's key: its name in public, {@code schema.name} elsewhere ({@link Sql#qualified}). */
    private static String key(String namespace, String name) {
        // spaced: a text block before it loses its trailing space
        return " CASE WHEN " + namespace + ".nspname = 'public' THEN " + name + " ELSE " + namespace + ".nspname || '.' || " + name + " END ";
    }

    /** A routine's key: {@code name(argument types)}, schema-qualified outside public, quoted as SQL needs. */
    private static String routineKey(String namespace, String proc) {
        return " CASE WHEN " + namespace + ".nspname = 'public' THEN '' ELSE quote_ident(" + namespace + ".nspname) || '.' END || quote_ident("
                + proc + ".proname) || '(' || oidvectortypes(" + proc + ".proargtypes) || ')' ";
    }

    private static String notFromExtension(String catalog, String oidColumn) {
        return NOT_FROM_EXTENSION.formatted(catalog, oidColumn);
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) return List.of();
        return Arrays.asList((String[]) array.getArray());
    }

    private String queryString(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Runs a query whose every {@code ?} is the ignored-table list. */
    private void query(String sql, RowHandler handler) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameters = (int) sql.chars().filter(c -> c == '?').count(); // no other ? in these queries
            Array names = connection.createArrayOf("text", ignored);
            for (int i = 1; i <= parameters; i++) statement.setArray(i, names);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) handler.handle(row);
            }
        }
    }

    private interface RowHandler {
        void handle(ResultSet row) throws SQLException;
    }

    /** Collects one table's parts while the per-kind queries run. */
    private static final class TableBuilder {
        final String name;
        final String comment;
        final Map<String, Column> columns = new LinkedHashMap<>();
        KeyConstraint primaryKey;
        final Map<String, KeyConstraint> uniques = new HashMap<>();
        final Map<String, ForeignKey> foreignKeys = new HashMap<>();
        final Map<String, CheckConstraint> checks = new HashMap<>();
        final Map<String, Index> indexes = new HashMap<>();

        TableBuilder(String name, String comment) {
            this.name = name;
            this.comment = comment;
        }

        Table build() {
            return new Table(name, columns, primaryKey, uniques, foreignKeys, checks, indexes, comment);
        }
    }
}
