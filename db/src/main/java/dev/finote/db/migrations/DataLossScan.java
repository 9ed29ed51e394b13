package dev.finote.db.migrations;

import dev.finote.db.postgres.Jdbc;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.Hazard;
import dev.finote.db.schema.HazardComment;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.SqlLexer;
import dev.finote.db.schema.Step;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one answer to "can this lose data?": for a migration's SQL ({@code migrate} backs up
 * first, its preview lists them), for a planned step ({@code push} asks for
 * {@code --accept-data-loss}), for a migration of a history whose catalogs are known
 * ({@code check} wants it acknowledged, {@link MigrationLint}), and whether the live database
 * still holds what it would lose.
 *
 * <p>A planned step can lose data when the schema engine gave it {@link Hazard#DELETES_DATA}
 * (the same fact {@code generate} writes as a comment and {@code check} wants acknowledged).
 * SQL can lose data from two sources: the {@code -- hazard: deletes-data: <why>} comment lines that
 * {@code finote db generate} writes before such a statement, and hand-written statements
 * recognised by their shape: {@code DROP TABLE} (a partition too), {@code DROP SCHEMA}, {@code DROP MATERIALIZED VIEW},
 * {@code DROP SEQUENCE} (its current value is data), {@code TRUNCATE},
 * {@code DELETE}, {@code DROP TYPE|DOMAIN|EXTENSION … CASCADE} (which drops the columns
 * using it), and in {@code ALTER TABLE} a dropped column or a column whose type changes. Comments, string literals (plain, {@code E'…'}, dollar-quoted) and quoted
 * identifiers are skipped ({@link SqlLexer}), so {@code 'DROP TABLE'} in a string or a comment is not a finding.
 * It errs on the side of caution: a finding costs a backup, a miss can cost data.
 *
 * <p>In the live database ({@link #stillLoses}) a finding loses something only when what it
 * drops is still there and its table has rows; when it cannot tell, it does.
 */
public final class DataLossScan {

    private static final Pattern DROP_TABLE = Pattern.compile("^DROP\\s+(FOREIGN\\s+)?TABLE\\b");
    private static final Pattern DROP_SCHEMA = Pattern.compile("^DROP\\s+SCHEMA\\b");
    private static final Pattern DROP_MATERIALIZED = Pattern.compile("^DROP\\s+MATERIALIZED\\s+VIEW\\b");
    /** A sequence's current value is data: the next ids would start again, and collide with the rows that hold the old ones. */
    private static final Pattern DROP_SEQUENCE = Pattern.compile("^DROP\\s+SEQUENCE\\b");
    private static final Pattern TRUNCATE = Pattern.compile("^TRUNCATE\\b");
    /** Dropping a type, domain or extension with CASCADE drops the columns that use it. */
    private static final Pattern DROP_CASCADE = Pattern.compile("^DROP\\s+(TYPE|DOMAIN|EXTENSION)\\b.*\\bCASCADE\\b");
    private static final Pattern DELETE = Pattern.compile("\\bDELETE\\s+FROM\\b");
    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER\\s+TABLE\\b");
    /** An ALTER TABLE action that drops something other than a column. */
    private static final Pattern DROP_NOT_A_COLUMN = Pattern.compile(
            "^DROP\\s+(CONSTRAINT|DEFAULT|NOT\\s+NULL|IDENTITY|EXPRESSION)\\b");
    private static final Pattern DROP_ACTION = Pattern.compile("^DROP\\b");
    private static final Pattern TYPE_CHANGE = Pattern.compile(
            "^ALTER\\s+(COLUMN\\s+)?(\\S+)\\s+(SET\\s+DATA\\s+)?TYPE\\b");
    private static final String TYPE_CHANGE_REASON = "changes a column's type: ";

    /**
     * One statement that can lose data: where it starts (1-based line; 0 for a planned step), why, its code
     * (upper-cased, comments and literals blanked, quoted identifiers replaced by {@code "id"}; a planned step's
     * SQL on one line), and what it takes from the database (empty: cannot tell, so anything).
     */
    public record Finding(int line, String reason, String code, List<Target> targets) {
        public Finding {
            targets = List.copyOf(targets);
        }

        public Finding(int line, String reason, String code) {
            this(line, reason, code, DroppedObjects.targets(code).orElse(List.of()));
        }

        public Finding(int line, String reason) {
            this(line, reason, "", List.of());
        }

        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /**
     * A table whose rows, or one column of it whose values, a statement drops.
     *
     * @param column null: the whole table
     */
    public record Target(String schema, String table, String column) {
    }

    private DataLossScan() {
    }

    /** Every data-losing statement of the script, in order; at most one finding per statement. */
    public static List<Finding> scan(String sql) {
        List<Finding> findings = new ArrayList<>();
        for (SqlStatement statement : split(sql)) {
            String reason = statement.hazard() != null ? statement.hazard() : shapeHazard(statement.code(), statement.shown());
            if (reason != null) findings.add(new Finding(statement.line(), reason, statement.code()));
        }
        return findings;
    }

    /**
     * Whether a migration of a history loses data, knowing the catalog {@code before} it and the
     * change it makes ({@code change}: the engine's plan of that catalog to the one after it). Three
     * sources, so that neither a hidden drop nor a hand-written one goes unseen:
     * <ul>
     * <li>what it changes: each planned step that loses data ({@link #of}), whatever SQL did it (a
     *     rename then a drop, a narrowing type change, a {@code DO} block);</li>
     * <li>statements marked {@code -- hazard: deletes-data} and statements that lose rows without
     *     changing the schema ({@code DELETE}, {@code TRUNCATE}, a table dropped and created again),
     *     which no catalog shows;</li>
     * <li>the other shapes {@link #scan} knows, except where the catalogs answer better: a type change
     *     is judged by the plan (a widening one keeps every value), and a statement that drops only
     *     tables or columns this migration itself created loses nothing that was there before it.</li>
     * </ul>
     * {@link #scan} alone, without the catalogs, errs on caution in those two cases: a backup too many.
     */
    public static List<Finding> ofMigration(String sql, Plan change, Catalog before) {
        List<Finding> findings = new ArrayList<>();
        for (Step step : change.steps()) of(step, before).ifPresent(findings::add);
        for (SqlStatement statement : split(sql)) {
            if (statement.hazard() != null) {
                findings.add(new Finding(statement.line(), statement.hazard(), statement.code()));
                continue;
            }
            String reason = shapeHazard(statement.code(), statement.shown());
            if (reason == null || reason.startsWith(TYPE_CHANGE_REASON)) continue;
            Finding finding = new Finding(statement.line(), reason, statement.code());
            if (!finding.targets().isEmpty() && finding.targets().stream().noneMatch(target -> heldBefore(before, target))) continue;
            findings.add(finding);
        }
        return findings;
    }

    /** Whether the table (or column) a statement drops was there before the migration. */
    private static boolean heldBefore(Catalog before, Target target) {
        String key = "public".equals(target.schema()) ? target.table() : target.schema() + "." + target.table();
        if (target.column() == null) return before.tables().containsKey(key) || before.partitions().containsKey(key);
        return before.tables().containsKey(key) && before.tables().get(key).columns().containsKey(target.column());
    }

    /** Whether an action of the ALTER TABLE changes a column's type (asked once none drops a column). */
    private static boolean changesAType(String code) {
        return topLevelActions(code).stream().anyMatch(action -> TYPE_CHANGE.matcher(action).find());
    }

    /**
     * Whether a planned step can lose data: the schema engine gave it {@link Hazard#DELETES_DATA}.
     * Its target is its table when {@code live} has it (a catalog key: {@code notes} or {@code billing.invoices}).
     */
    public static Optional<Finding> of(Step step, Catalog live) {
        if (!step.hazards().contains(Hazard.DELETES_DATA)) return Optional.empty();
        String table = step.table();
        List<Target> targets = table == null || !live.tables().containsKey(table) ? List.of()
                : List.of(table.indexOf('.') < 0 ? new Target("public", table, null)
                        : new Target(table.substring(0, table.indexOf('.')), table.substring(table.indexOf('.') + 1), null));
        return Optional.of(new Finding(0, step.reason(Hazard.DELETES_DATA), step.sql().replaceAll("\\s+", " "), targets));
    }

    /**
     * Whether {@code finding} loses anything in this database: false only when each of its targets is gone already
     * (a {@code push} dropped it) or its table has no rows. A check that fails counts as a loss.
     */
    public static boolean stillLoses(Connection connection, Finding finding) {
        if (finding.targets().isEmpty()) return true;
        try {
            for (Target target : finding.targets()) {
                if (exists(connection, target) && hasRows(connection, target)) return true;
            }
            return false;
        } catch (SQLException e) {
            return true; // cannot tell: assume the worst
        }
    }

    private static boolean exists(Connection connection, Target target) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(target.column() == null
                ? "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?)"
                : "SELECT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped)")) {
            query.setString(1, target.schema());
            query.setString(2, target.table());
            if (target.column() != null) query.setString(3, target.column());
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static boolean hasRows(Connection connection, Target target) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM "
                     + Jdbc.quoteIdentifier(target.schema()) + "." + Jdbc.quoteIdentifier(target.table()) + ")")) {
            return row.next() && row.getBoolean(1);
        }
    }

    /**
     * A statement with comments and literals blanked: {@code code} keeps keywords and
     * identifiers (upper-cased, whitespace collapsed), {@code hazard} the reason from a
     * hazard comment written before it, if any.
     */
    record SqlStatement(int line, String code, String shown, String hazard) {
    }

    private static String shapeHazard(String code, String shown) {
        if (code.isEmpty()) return null;
        String statement = shown.length() > 160 ? shown.substring(0, 157) + "..." : shown;
        if (DROP_TABLE.matcher(code).find()) return "drops a table: " + statement;
        if (DROP_SCHEMA.matcher(code).find()) return "drops a schema: " + statement;
        if (DROP_MATERIALIZED.matcher(code).find()) return "drops a materialized view: " + statement;
        if (DROP_SEQUENCE.matcher(code).find()) return "drops a sequence and its current value: " + statement;
        if (TRUNCATE.matcher(code).find()) return "empties a table: " + statement;
        if (DROP_CASCADE.matcher(code).find()) return "drops the columns that depend on it (CASCADE): " + statement;
        if (DELETE.matcher(code).find()) return "deletes rows: " + statement;
        if (ALTER_TABLE.matcher(code).find()) {
            for (String action : topLevelActions(code)) {
                if (DROP_ACTION.matcher(action).find() && !DROP_NOT_A_COLUMN.matcher(action).find()) {
                    return "drops a column: " + statement;
                }
            }
            if (changesAType(code)) return TYPE_CHANGE_REASON + statement;
        }
        return null;
    }

    /** The comma-separated actions of an ALTER TABLE, after its {@code ALTER TABLE [ONLY] [IF EXISTS] name}. */
    static List<String> topLevelActions(String code) {
        List<String> actions = new ArrayList<>(SqlLexer.splitTopLevel(code, ',').stream().map(String::strip).toList());
        // The first piece still starts with ALTER TABLE …; its action begins after the table name.
        Matcher head = Pattern.compile("^ALTER\\s+TABLE\\s+(ONLY\\s+)?(IF\\s+EXISTS\\s+)?(ONLY\\s+)?\\S+\\s*").matcher(actions.getFirst());
        if (head.find()) actions.set(0, actions.getFirst().substring(head.end()));
        return actions;
    }

    /** Splits a script into statements, blanking comments, literals and quoted identifiers. */
    static List<SqlStatement> split(String sql) {
        List<SqlStatement> statements = new ArrayList<>();
        for (SqlLexer.Statement statement : SqlLexer.statements(sql)) {
            StringBuilder code = new StringBuilder();
            StringBuilder shown = new StringBuilder();
            String hazard = null;
            int line = -1;
            for (SqlLexer.Token token : statement.tokens()) {
                switch (token.kind()) {
                    case LINE_COMMENT, BLOCK_COMMENT -> {
                        var marker = HazardComment.readAll(token.text()).stream()
                                .filter(comment -> comment.hazard().equals(Optional.of(Hazard.DELETES_DATA))).findFirst();
                        if (marker.isPresent()) {
                            String why = marker.get().reason();
                            if (hazard == null) hazard = why.isEmpty() ? "marked deletes-data" : why;
                            if (line < 0) line = token.line();
                        }
                        code.append(' ');
                        shown.append(' ');
                    }
                    case WHITESPACE -> {
                        code.append(token.text());
                        shown.append(token.text());
                    }
                    case STRING, DOLLAR_STRING, QUOTED_IDENTIFIER -> {
                        if (line < 0) line = token.line();
                        code.append(token.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER ? " \"id\" " : " '' ");
                        shown.append(token.kind() == SqlLexer.Kind.DOLLAR_STRING ? " $...$ " : token.text());
                    }
                    default -> {
                        if (line < 0) line = token.line();
                        code.append(token.text());
                        shown.append(token.text());
                    }
                }
            }
            String normalized = code.toString().strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
            if (normalized.isEmpty() && hazard == null) continue;
            statements.add(new SqlStatement(Math.max(line, 1), normalized, shown.toString().strip().replaceAll("\\s+", " "), hazard));
        }
        return statements;
    }
}
