package dev.finote.db.backup;

import dev.finote.db.schema.Hazard;
import dev.finote.db.schema.HazardComment;
import dev.finote.db.schema.SqlLexer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the statements of a migration that can lose data, so that {@code migrate} can take a
 * backup before applying it.
 *
 * <p>Two sources: the {@code -- hazard: deletes-data: <why>} comment lines that
 * {@code finote db generate} writes before such a statement, and hand-written statements
 * recognised by their shape: {@code DROP TABLE}, {@code DROP SCHEMA}, {@code TRUNCATE},
 * {@code DELETE}, {@code DROP TYPE|DOMAIN|EXTENSION … CASCADE} (which drops the columns
 * using it), and in {@code ALTER TABLE} a dropped column or a column whose type changes. Comments, string literals (plain, {@code E'…'}, dollar-quoted) and quoted
 * identifiers are skipped, so {@code 'DROP TABLE'} in a string or a comment is not a finding.
 * It errs on the side of caution: a finding costs a backup, a miss can cost data.
 */
public final class DataLossScan {

    private static final Pattern DROP_TABLE = Pattern.compile("^DROP\\s+(FOREIGN\\s+)?TABLE\\b");
    private static final Pattern DROP_SCHEMA = Pattern.compile("^DROP\\s+SCHEMA\\b");
    private static final Pattern DROP_MATERIALIZED = Pattern.compile("^DROP\\s+MATERIALIZED\\s+VIEW\\b");
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

    /**
     * One statement that can lose data: where it starts (1-based line), why, and its code
     * (upper-cased, comments and literals blanked, quoted identifiers replaced by {@code "id"}).
     */
    public record Finding(int line, String reason, String code) {
        public Finding(int line, String reason) {
            this(line, reason, "");
        }

        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    private DataLossScan() {
    }

    /** Every data-losing statement of the script, in order; at most one finding per statement. */
    public static List<Finding> scan(String sql) {
        List<Finding> findings = new ArrayList<>();
        for (Statement statement : split(sql)) {
            String reason = statement.hazard() != null ? statement.hazard() : shapeHazard(statement.code(), statement.shown());
            if (reason != null) findings.add(new Finding(statement.line(), reason, statement.code()));
        }
        return findings;
    }

    /**
     * A statement with comments and literals blanked: {@code code} keeps keywords and
     * identifiers (upper-cased, whitespace collapsed), {@code hazard} the reason from a
     * hazard comment written before it, if any.
     */
    record Statement(int line, String code, String shown, String hazard) {
    }

    private static String shapeHazard(String code, String shown) {
        if (code.isEmpty()) return null;
        String statement = shown.length() > 160 ? shown.substring(0, 157) + "..." : shown;
        if (DROP_TABLE.matcher(code).find()) return "drops a table: " + statement;
        if (DROP_SCHEMA.matcher(code).find()) return "drops a schema: " + statement;
        if (DROP_MATERIALIZED.matcher(code).find()) return "drops a materialized view: " + statement;
        if (TRUNCATE.matcher(code).find()) return "empties a table: " + statement;
        if (DROP_CASCADE.matcher(code).find()) return "drops the columns that depend on it (CASCADE): " + statement;
        if (DELETE.matcher(code).find()) return "deletes rows: " + statement;
        if (ALTER_TABLE.matcher(code).find()) {
            for (String action : topLevelActions(code)) {
                if (DROP_ACTION.matcher(action).find() && !DROP_NOT_A_COLUMN.matcher(action).find()) {
                    return "drops a column: " + statement;
                }
                if (TYPE_CHANGE.matcher(action).find()) return "changes a column's type: " + statement;
            }
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
    static List<Statement> split(String sql) {
        List<Statement> statements = new ArrayList<>();
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
            statements.add(new Statement(Math.max(line, 1), normalized, shown.toString().strip().replaceAll("\\s+", " "), hazard));
        }
        return statements;
    }
}
