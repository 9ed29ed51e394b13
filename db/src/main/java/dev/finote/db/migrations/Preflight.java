package dev.finote.db.migrations;

import dev.finote.db.postgres.Jdbc;
import dev.finote.db.schema.SqlLexer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before {@code migrate} changes anything, that the live data meets each pending
 * statement's preconditions: a unique key or index over duplicates, {@code SET NOT NULL} or a
 * {@code NOT NULL} column without a default over NULLs or existing rows, a foreign key over
 * orphans, a check over violating rows, a type change over values that do not convert (a removed
 * enum value still in use included).
 *
 * <p><b>How.</b> Each statement is read (comments and strings skipped by {@link SqlLexer})
 * and, for the kinds above, turned into a {@code SELECT} that counts the rows that would make it
 * fail and shows up to five of their keys. Every query runs in one {@code REPEATABLE READ, READ
 * ONLY} transaction that is always rolled back: it can neither write nor take more than the
 * {@code ACCESS SHARE} locks a plain read takes, so a live service goes on. Running the
 * migrations themselves in a rolled-back transaction was the alternative, and was rejected: DDL
 * takes {@code ACCESS EXCLUSIVE} locks (blocking the service for the length of a rewrite, twice),
 * {@code CONCURRENTLY} cannot run in a transaction at all, and it would stop at the first
 * failure instead of reporting every one with its rows.
 *
 * <p><b>Limits.</b> A statement over something only a pending migration creates (a table, a
 * column, a type other than an enum) cannot be queried yet: it is reported as not checked, never
 * as passed. Rows a pending migration inserts or updates are not seen.
 */
public final class Preflight {

    private static final String NAME = MigrationLint.NAME;
    private static final Pattern CREATE_UNIQUE_INDEX = Pattern.compile(
            "(?is)^CREATE\\s+UNIQUE\\s+INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:" + NAME + "\\s+)?ON\\s+(?:ONLY\\s+)?"
                    + NAME + "\\s*(?:USING\\s+\\w+\\s*)?\\(");
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?" + NAME);
    private static final Pattern CREATE_ENUM = Pattern.compile("(?is)^CREATE\\s+TYPE\\s+" + NAME + "\\s+AS\\s+ENUM\\s*\\((.*)\\)$");
    private static final Pattern ALTER_TABLE = Pattern.compile("(?is)^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + NAME + "\\s+(.*)$");
    private static final Pattern SET_NOT_NULL = Pattern.compile("(?is)^ALTER\\s+(?:COLUMN\\s+)?" + NAME + "\\s+SET\\s+NOT\\s+NULL$");
    private static final Pattern ALTER_TYPE = Pattern.compile(
            "(?is)^ALTER\\s+(?:COLUMN\\s+)?" + NAME + "\\s+(?:SET\\s+DATA\\s+)?TYPE\\s+(.+?)(?:\\s+COLLATE\\s+\\S+)?(?:\\s+USING\\s+(.+))?$");
    private static final Pattern ADD_CONSTRAINT = Pattern.compile(
            "(?is)^ADD\\s+(?:CONSTRAINT\\s+" + NAME + "\\s+)?(UNIQUE|PRIMARY\\s+KEY|FOREIGN\\s+KEY|CHECK|EXCLUDE)\\b(.*)$");
    private static final Pattern ADD_COLUMN = Pattern.compile("(?is)^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?" + NAME + "\\s+(.+)$");
    private static final Pattern VALIDATE = Pattern.compile("(?is)^VALIDATE\\s+CONSTRAINT\\s+" + NAME + "$");
    private static final Pattern REFERENCES = Pattern.compile("(?is)^\\s*\\((.*?)\\)\\s*REFERENCES\\s+" + NAME + "\\s*(?:\\(([^)]*)\\))?.*$");
    private static final Pattern STRING_LENGTH = Pattern.compile("(?i)^(?:character\\s+varying|varchar|character|char|bpchar)\\s*\\(\\s*(\\d+)\\s*\\)$");
    private static final Set<String> NOT_THERE_YET = Set.of("42P01", "42703", "42704", "42883"); // undefined table, column, object, function

    public enum Verdict { PASSED, FAILED, NOT_CHECKED }

    /**
     * One precondition of one statement.
     *
     * @param what     what was checked, e.g. "no duplicated keys (title)"
     * @param rows     rows that make the statement fail (-1 when unknown)
     * @param examples up to five of their keys, e.g. {@code id=7}
     * @param note     why it was not checked, or PostgreSQL's own error when a conversion failed
     */
    public record Check(PendingMigration migration, String statement, String what, Verdict verdict, long rows,
                        List<String> examples, String note) {

        /** One line for a terminal, naming the migration and the statement. */
        public String describe() {
            String head = "V" + migration.version() + " (" + migration.script() + "): " + statement + ": ";
            return switch (verdict) {
                case PASSED -> head + "ok, " + what;
                case NOT_CHECKED -> head + "not checked (" + note + ")";
                case FAILED -> head + "FAILS, " + what + ": " + (rows < 0 ? "some rows" : String.format(Locale.ROOT, "%,d row(s)", rows))
                        + (examples.isEmpty() ? "" : ", e.g. " + String.join("; ", examples))
                        + (note == null ? "" : " (" + note + ")");
            };
        }
    }

    /** A pending statement and how many rows the table it changes holds now (-1: a new table, or none). */
    public record StatementRows(PendingMigration migration, String statement, String table, long rows) {
    }

    /** Every check, and (when asked for) every statement with its table's rows. */
    public record Report(List<Check> checks, List<StatementRows> statements) {
        public List<Check> failures() {
            return checks.stream().filter(check -> check.verdict() == Verdict.FAILED).toList();
        }
    }

    private final Connection connection;
    private final boolean countRows;
    private final Set<String> createdTables = new HashSet<>();
    private final Map<String, List<String>> createdEnums = new HashMap<>();
    /** NOT VALID constraints added by pending statements, by "table.constraint", until a VALIDATE checks them. */
    private final Map<String, String> notValidated = new HashMap<>();
    private final Map<String, List<String>> primaryKeys = new HashMap<>();
    private final Map<String, Long> tableRows = new HashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<StatementRows> statements = new ArrayList<>();
    private PendingMigration migration;
    private String statement;

    private Preflight(Connection connection, boolean countRows) {
        this.connection = connection;
        this.countRows = countRows;
    }

    /**
     * Checks {@code toApply} against the data {@code connection} sees, read-only.
     *
     * @param countRows also count each changed table's rows, for {@code --dry-run}
     */
    public static Report run(Connection connection, List<PendingMigration> toApply, boolean countRows) throws SQLException {
        Preflight preflight = new Preflight(connection, countRows);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement setup = connection.createStatement()) {
            setup.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            // a read waits behind an ACCESS EXCLUSIVE lock; better to report "not checked" than to hang
            setup.execute("SET LOCAL lock_timeout = '5s'");
            for (PendingMigration migration : toApply) {
                preflight.migration = migration;
                for (String statement : SqlLexer.split(migration.sql())) {
                    preflight.statement = oneLine(statement);
                    preflight.inspect(statement);
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        return new Report(List.copyOf(preflight.checks), List.copyOf(preflight.statements));
    }

    private void inspect(String sql) throws SQLException {
        Matcher m;
        if ((m = CREATE_TABLE.matcher(sql)).find()) {
            createdTables.add(MigrationLint.tableName(m.group(1)));
        } else if ((m = CREATE_ENUM.matcher(sql)).matches()) {
            createdEnums.put(MigrationLint.tableName(m.group(1)), literals(m.group(2)));
        } else if ((m = CREATE_UNIQUE_INDEX.matcher(sql)).find()) {
            String table = m.group(2);
            note(table);
            int close = closing(sql, m.end() - 1);
            String rest = sql.substring(close + 1);
            Matcher where = Pattern.compile("(?is)\\bWHERE\\b(.*)$").matcher(rest);
            duplicates(table, keyExpressions(sql.substring(m.end(), close)), where.find() ? where.group(1).strip() : null,
                    rest.matches("(?is).*\\bNULLS\\s+NOT\\s+DISTINCT\\b.*"), false);
        } else if ((m = ALTER_TABLE.matcher(sql)).matches()) {
            String table = m.group(1);
            note(table);
            for (String action : topLevel(m.group(2), ',')) alterTable(table, action.strip());
        }
    }

    private void alterTable(String table, String action) throws SQLException {
        Matcher m;
        if ((m = SET_NOT_NULL.matcher(action)).matches()) {
            String column = m.group(1);
            rowsWhere(table, "no NULLs in " + column, column + " IS NULL", null);
        } else if ((m = ALTER_TYPE.matcher(action)).matches()) {
            typeChange(table, m.group(1), m.group(2).strip(), m.group(3));
        } else if ((m = ADD_CONSTRAINT.matcher(action)).matches()) {
            String name = m.group(1);
            String kind = m.group(2).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            String rest = m.group(3);
            boolean notValid = rest.matches("(?is).*\\bNOT\\s+VALID\\s*$");
            switch (kind) {
                case "UNIQUE", "PRIMARY KEY" -> {
                    boolean nullsNotDistinct = rest.matches("(?is)^\\s*NULLS\\s+NOT\\s+DISTINCT\\b.*");
                    int open = rest.indexOf('(');
                    if (open < 0 || rest.matches("(?is)^\\s*(?:NULLS\\s+NOT\\s+DISTINCT\\s+)?USING\\s+INDEX\\b.*")) return; // its index was checked where it was built
                    List<String> keys = keyExpressions(rest.substring(open + 1, closing(rest, open)));
                    duplicates(table, keys, null, nullsNotDistinct, kind.equals("PRIMARY KEY"));
                }
                case "FOREIGN KEY", "CHECK" -> {
                    String definition = kind + rest;
                    if (notValid) {
                        if (name != null) notValidated.put(MigrationLint.tableName(table) + "." + MigrationLint.identifier(name), definition);
                    } else {
                        constraint(table, definition);
                    }
                }
                default -> { } // EXCLUDE: not checked
            }
        } else if ((m = VALIDATE.matcher(action)).matches()) {
            String key = MigrationLint.tableName(table) + "." + MigrationLint.identifier(m.group(1));
            String definition = notValidated.remove(key);
            if (definition == null) definition = liveConstraint(table, m.group(1)).orElse(null);
            if (definition == null) {
                checks.add(new Check(migration, statement, "constraint " + m.group(1), Verdict.NOT_CHECKED, -1, List.of(),
                        "its definition is not in the pending migrations or the database"));
            } else {
                constraint(table, definition);
            }
        } else if ((m = ADD_COLUMN.matcher(action)).matches() && !action.matches("(?is)^ADD\\s+(CONSTRAINT|UNIQUE|PRIMARY|FOREIGN|CHECK|EXCLUDE)\\b.*")) {
            String definition = m.group(2);
            boolean notNull = definition.matches("(?is).*\\b(NOT\\s+NULL|PRIMARY\\s+KEY)\\b.*");
            boolean filled = definition.matches("(?is).*\\b(DEFAULT|GENERATED)\\b.*") || definition.matches("(?is)^(small|big)?serial\\b.*");
            if (notNull && !filled) rowsWhere(table, "an empty table (" + m.group(1) + " is NOT NULL without a default)", "true", null);
        }
    }

    /** A FOREIGN KEY or CHECK definition as PostgreSQL or a migration writes it, checked against the rows. */
    private void constraint(String table, String definition) throws SQLException {
        if (definition.regionMatches(true, 0, "CHECK", 0, 5)) {
            int open = definition.indexOf('(');
            String expression = definition.substring(open + 1, closing(definition, open));
            rowsWhere(table, "no rows violating CHECK (" + expression + ")", "NOT (" + expression + ")", null);
            return;
        }
        Matcher fk = REFERENCES.matcher(definition.substring("FOREIGN KEY".length()));
        if (!fk.matches()) return;
        List<String> columns = topLevel(fk.group(1), ',').stream().map(String::strip).toList();
        String parent = fk.group(2);
        List<String> parentColumns = fk.group(3) == null ? primaryKey(parent).stream().map(Jdbc::quoteIdentifier).toList()
                : topLevel(fk.group(3), ',').stream().map(String::strip).toList();
        if (parentColumns.size() != columns.size()) {
            checks.add(new Check(migration, statement, "foreign key to " + parent, Verdict.NOT_CHECKED, -1, List.of(),
                    "cannot tell the referenced columns of " + parent));
            return;
        }
        List<String> present = new ArrayList<>();
        List<String> match = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            present.add("c." + columns.get(i) + " IS NOT NULL");
            match.add("p." + parentColumns.get(i) + " = c." + columns.get(i));
        }
        rowsWhere(table, "every " + String.join(", ", columns) + " found in " + parent,
                String.join(" AND ", present) + " AND NOT EXISTS (SELECT 1 FROM " + parent + " AS p WHERE " + String.join(" AND ", match) + ")", null);
    }

    private void typeChange(String table, String column, String type, String using) throws SQLException {
        String value = using == null ? "c." + column : using;
        String base = MigrationLint.tableName(type.endsWith("[]") ? type.substring(0, type.length() - 2) : type);
        List<String> labels = createdEnums.get(base);
        if (labels != null && !type.endsWith("[]")) {
            rowsWhere(table, "every " + column + " a label of the new enum " + base,
                    "c." + column + " IS NOT NULL AND c." + column + "::text <> ALL (?)", labels);
            return;
        }
        Matcher length = STRING_LENGTH.matcher(type);
        if (length.matches() && using == null) {
            // the assignment cast ALTER TYPE uses refuses a value too long; an explicit cast would cut it
            rowsWhere(table, "every " + column + " fits " + type, "char_length(c." + column + "::text) > " + Integer.parseInt(length.group(1)), null);
            return;
        }
        if (!exists(table)) return;
        if (!typeExists(type)) {
            checks.add(new Check(migration, statement, "values convert to " + type, Verdict.NOT_CHECKED, -1, List.of(),
                    "type " + type + " does not exist yet"));
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try (Statement query = connection.createStatement()) {
            query.execute("SELECT count((" + value + ")::" + type + ") FROM " + table + " AS c");
            connection.releaseSavepoint(savepoint);
            checks.add(new Check(migration, statement, "every " + column + " converts to " + type, Verdict.PASSED, 0, List.of(), null));
        } catch (SQLException e) {
            connection.rollback(savepoint);
            if (NOT_THERE_YET.contains(e.getSQLState())) {
                checks.add(new Check(migration, statement, "values convert to " + type, Verdict.NOT_CHECKED, -1, List.of(), firstLine(e.getMessage())));
                return;
            }
            Optional<long[]> counted = Optional.empty();
            List<String> examples = new ArrayList<>();
            if (using == null && connection.getMetaData().getDatabaseMajorVersion() >= 16) {
                // pg_input_is_valid (PostgreSQL 16+) tells value by value whether the text form parses
                Savepoint counting = connection.setSavepoint();
                try {
                    long rows = rowsWhereCount(table, "c." + column + " IS NOT NULL AND NOT pg_input_is_valid(c." + column + "::text, ?)",
                            type, examples, "c." + column + "::text");
                    if (rows > 0) counted = Optional.of(new long[]{rows});
                    connection.releaseSavepoint(counting);
                } catch (SQLException notCounted) {
                    connection.rollback(counting);
                    examples.clear();
                }
            }
            checks.add(new Check(migration, statement, "values of " + column + " that do not convert to " + type, Verdict.FAILED,
                    counted.map(c -> c[0]).orElse(-1L), examples, "PostgreSQL: " + firstLine(e.getMessage())));
        }
    }

    /** Records a check that fails when rows of {@code table} match {@code condition} ({@code c} is the table's alias). */
    private void rowsWhere(String table, String what, String condition, Object textArrayParameter) throws SQLException {
        if (!exists(table)) {
            checks.add(new Check(migration, statement, what, Verdict.NOT_CHECKED, -1, List.of(),
                    createdTables.contains(MigrationLint.tableName(table)) ? "table " + table + " is created by a pending migration"
                            : "table " + table + " does not exist"));
            return;
        }
        List<String> examples = new ArrayList<>();
        Savepoint savepoint = connection.setSavepoint();
        try {
            long rows = rowsWhereCount(table, condition, textArrayParameter, examples, null);
            connection.releaseSavepoint(savepoint);
            checks.add(new Check(migration, statement, what, rows == 0 ? Verdict.PASSED : Verdict.FAILED, rows, examples, null));
        } catch (SQLException e) {
            connection.rollback(savepoint);
            checks.add(new Check(migration, statement, what, Verdict.NOT_CHECKED, -1, List.of(),
                    NOT_THERE_YET.contains(e.getSQLState()) ? "it refers to something a pending migration creates: " + firstLine(e.getMessage())
                            : firstLine(e.getMessage())));
        }
    }

    /**
     * How many rows match, with up to five keys in {@code examples}. The count is an uncorrelated
     * init-plan: it runs only when some row matches, so a passing check scans the table once.
     */
    private long rowsWhereCount(String table, String condition, Object parameter, List<String> examples, String shown) throws SQLException {
        String key = keyExpression(table) + (shown == null ? "" : " || ': ' || " + shown);
        String sql = "SELECT (SELECT count(*) FROM " + table + " AS c WHERE " + condition + "), " + key
                + " FROM " + table + " AS c WHERE " + condition + " LIMIT 5";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            // the condition appears twice (count and rows), each with at most one parameter
            if (parameter instanceof String text) {
                query.setString(1, text);
                query.setString(2, text);
            } else if (parameter instanceof List<?> labels) {
                query.setArray(1, connection.createArrayOf("text", labels.toArray()));
                query.setArray(2, connection.createArrayOf("text", labels.toArray()));
            }
            long rows = 0;
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows = result.getLong(1);
                    examples.add(result.getString(2));
                }
            }
            return rows;
        }
    }

    /** A unique key or index: rows sharing a key (NULLs are distinct unless NULLS NOT DISTINCT; a primary key refuses them). */
    private void duplicates(String table, List<String> keys, String where, boolean nullsNotDistinct, boolean primaryKey) throws SQLException {
        String label = "(" + String.join(", ", keys) + ")";
        if (primaryKey) {
            rowsWhere(table, "no NULLs in the primary key " + label,
                    String.join(" OR ", keys.stream().map(k -> "(" + k + ") IS NULL").toList()), null);
        }
        String what = "no duplicated keys " + label;
        if (!exists(table)) {
            checks.add(new Check(migration, statement, what, Verdict.NOT_CHECKED, -1, List.of(), "table " + table
                    + (createdTables.contains(MigrationLint.tableName(table)) ? " is created by a pending migration" : " does not exist")));
            return;
        }
        List<String> select = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            select.add("(" + keys.get(i) + ") AS k" + i);
            shown.add("coalesce(k" + i + "::text, 'NULL')");
            present.add("(" + keys.get(i) + ") IS NOT NULL");
            groupBy.add(String.valueOf(i + 1));
        }
        List<String> conditions = new ArrayList<>();
        if (where != null) conditions.add("(" + where + ")");
        if (!nullsNotDistinct) conditions.addAll(present);
        String sql = "SELECT sum(n) OVER (), '" + label.replace("'", "''") + "=(' || concat_ws(', ', " + String.join(", ", shown) + ") || ') x' || n"
                + " FROM (SELECT " + String.join(", ", select) + ", count(*) AS n FROM " + table + " AS c"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " GROUP BY " + String.join(", ", groupBy) + " HAVING count(*) > 1) AS d ORDER BY n DESC LIMIT 5";
        Savepoint savepoint = connection.setSavepoint();
        try (Statement query = connection.createStatement(); ResultSet result = query.executeQuery(sql)) {
            long rows = 0;
            List<String> examples = new ArrayList<>();
            while (result.next()) {
                rows = result.getLong(1);
                examples.add(result.getString(2));
            }
            connection.releaseSavepoint(savepoint);
            checks.add(new Check(migration, statement, what, rows == 0 ? Verdict.PASSED : Verdict.FAILED, rows, examples, null));
        } catch (SQLException e) {
            connection.rollback(savepoint);
            checks.add(new Check(migration, statement, what, Verdict.NOT_CHECKED, -1, List.of(),
                    NOT_THERE_YET.contains(e.getSQLState()) ? "it refers to something a pending migration creates: " + firstLine(e.getMessage())
                            : firstLine(e.getMessage())));
        }
    }

    /** For --dry-run: the statement and its table's rows now. */
    private void note(String table) throws SQLException {
        if (!countRows) return;
        long rows = -1;
        if (exists(table)) {
            rows = tableRows.computeIfAbsent(table, t -> -1L);
            if (rows < 0) {
                try (Statement query = connection.createStatement(); ResultSet count = query.executeQuery("SELECT count(*) FROM " + table)) {
                    count.next();
                    rows = count.getLong(1);
                }
                tableRows.put(table, rows);
            }
        }
        statements.add(new StatementRows(migration, statement, MigrationLint.tableName(table), rows));
    }

    private boolean exists(String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        } catch (SQLException e) {
            return false; // a name to_regclass cannot parse: nothing to query
        }
    }

    private boolean typeExists(String type) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regtype(?) IS NOT NULL")) {
            query.setString(1, type);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                boolean exists = result.getBoolean(1);
                connection.releaseSavepoint(savepoint);
                return exists;
            }
        } catch (SQLException e) {
            connection.rollback(savepoint);
            return false;
        }
    }

    /** The definition of a constraint that exists (NOT VALID) in the database. */
    private Optional<String> liveConstraint(String table, String name) throws SQLException {
        if (!exists(table)) return Optional.empty();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?")) {
            query.setString(1, table);
            query.setString(2, MigrationLint.identifier(name));
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? Optional.of(result.getString(1).replaceAll("(?i)\\s+NOT VALID$", "")) : Optional.empty();
            }
        }
    }

    private List<String> primaryKey(String table) throws SQLException {
        List<String> cached = primaryKeys.get(table);
        if (cached != null) return cached;
        List<String> columns = new ArrayList<>();
        if (exists(table)) {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)""")) {
                query.setString(1, table);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) columns.add(result.getString(1));
                }
            }
        }
        primaryKeys.put(table, columns);
        return columns;
    }

    /** How an example row is named: its primary key ({@code id=7}), else its ctid. */
    private String keyExpression(String table) throws SQLException {
        List<String> key = primaryKey(table);
        if (key.isEmpty()) return "'ctid=' || c.ctid::text";
        return "concat_ws(', ', " + String.join(", ", key.stream()
                .map(column -> "'" + column.replace("'", "''") + "=' || c." + Jdbc.quoteIdentifier(column) + "::text").toList()) + ")";
    }

    /** The key columns or expressions of an index or key list, without ordering, collation or operator class. */
    private static List<String> keyExpressions(String list) {
        List<String> keys = new ArrayList<>();
        for (String element : topLevel(list, ',')) {
            String key = element.strip()
                    .replaceAll("(?i)\\s+NULLS\\s+(FIRST|LAST)$", "")
                    .replaceAll("(?i)\\s+(ASC|DESC)$", "")
                    .replaceAll("(?i)\\s+COLLATE\\s+\\S+$", "");
            Matcher opclass = Pattern.compile("^(" + NAME + ")\\s+[A-Za-z_][A-Za-z0-9_.]*$").matcher(key);
            if (opclass.matches()) key = opclass.group(1);
            keys.add(key);
        }
        return keys;
    }

    /** Splits at {@code separator} outside parentheses, quotes and string literals. */
    static List<String> topLevel(String text, char separator) {
        return SqlLexer.splitTopLevel(text, separator);
    }

    /** Index of the parenthesis closing the one at {@code open}. */
    static int closing(String text, int open) {
        return SqlLexer.closingParenthesis(text, open);
    }

    private static List<String> literals(String list) {
        List<String> labels = new ArrayList<>();
        for (String part : topLevel(list, ',')) {
            String label = part.strip();
            if (label.length() >= 2 && label.startsWith("'") && label.endsWith("'")) {
                labels.add(label.substring(1, label.length() - 1).replace("''", "'"));
            }
        }
        return labels;
    }

    private static String oneLine(String sql) {
        String line = sql.replaceAll("\\s+", " ").strip();
        return line.length() > 120 ? line.substring(0, 117) + "…" : line;
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
