package dev.finote.db.migrations;

import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.DiffOptions;
import dev.finote.db.schema.Hazard;
import dev.finote.db.schema.HazardComment;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.SchemaDiff;
import dev.finote.db.schema.SqlLexer;
import dev.finote.db.schema.Step;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the hazards in each migration of a history, and whether the file acknowledges them.
 *
 * <p>Two sources: what the migration changes (the catalog before and after it, planned the way
 * the engine would), and how the SQL does it (an index built without {@code CONCURRENTLY}, or a
 * foreign key or check added without {@code NOT VALID}, on a table that already existed, blocks
 * writes while it scans). Whether it loses data is {@link DataLossScan}'s answer, the one
 * {@code migrate} backs up for and {@code push} asks {@code --accept-data-loss} for, given both the
 * SQL and that plan ({@link DataLossScan#ofMigration}). A file
 * acknowledges a hazard with a comment line {@code -- hazard: <code>: <why>}, which
 * {@code finote db generate} writes itself.
 */
public final class MigrationLint {

    /**
     * Hazards a migration must acknowledge: they lose data, block the table (or materialized view)
     * for the length of a scan, or change which rows each role sees.
     */
    static final Set<Hazard> MUST_ACKNOWLEDGE = EnumSet.of(Hazard.DELETES_DATA, Hazard.REWRITES_TABLE,
            Hazard.LOCKS_TABLE, Hazard.FAILS_ON_EXISTING_ROWS, Hazard.REBUILDS_MATERIALIZED_VIEW, Hazard.CHANGES_VISIBLE_ROWS);

    static final String NAME = "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\.(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?)";
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "(?is)^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:" + NAME + "\\s+)?ON\\s+(?:ONLY\\s+)?" + NAME);
    private static final Pattern ADD_CHECKED_CONSTRAINT = Pattern.compile(
            "(?is)^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + NAME + "\\s+.*ADD\\s+(?:CONSTRAINT\\s+\\S+\\s+)?(?:FOREIGN\\s+KEY|CHECK)\\b.*");
    private static final Pattern RENAME_COLUMN = Pattern.compile(
            "(?is)^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + NAME + "\\s+RENAME\\s+(?:COLUMN\\s+)?" + NAME + "\\s+TO\\s+" + NAME + "\\s*$");
    private static final Pattern RENAME_TABLE = Pattern.compile(
            "(?is)^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + NAME + "\\s+RENAME\\s+TO\\s+" + NAME + "\\s*$");

    private MigrationLint() {
    }

    /**
     * Every hazard of every migration, oldest first.
     *
     * @param versions   the history, as {@link MigrationReplay#replay} gives it
     * @param scriptText the SQL of a migration, by its script name
     */
    public static List<LintFinding> lint(List<VersionedCatalog> versions, Function<String, String> scriptText) {
        List<LintFinding> findings = new ArrayList<>();
        Catalog before = Catalog.EMPTY;
        for (VersionedCatalog migration : versions) {
            String sql = scriptText.apply(migration.script());
            List<String> statements = SqlLexer.split(sql);
            Set<String> acknowledged = HazardComment.codes(sql);
            Map<Hazard, String> found = new LinkedHashMap<>();
            Plan plan = plan(before, migration.catalog(), declaredRenames(statements));
            DataLossScan.ofMigration(sql, plan, before).stream().findFirst()
                    .ifPresent(loss -> found.put(Hazard.DELETES_DATA, loss.line() == 0 ? loss.code() : loss.reason()));
            for (Step step : plan.steps()) {
                for (Hazard hazard : step.orderedHazards()) {
                    if (hazard != Hazard.DELETES_DATA) found.putIfAbsent(hazard, step.sql()); // DataLossScan's to answer
                }
            }
            for (String statement : statements) {
                unsafeForm(statement, before).ifPresent(hazard -> found.putIfAbsent(hazard, statement));
            }
            for (Map.Entry<Hazard, String> hazard : found.entrySet()) {
                findings.add(new LintFinding(migration, hazard.getKey(), oneLine(hazard.getValue()),
                        acknowledged.contains(hazard.getKey().code())));
            }
            before = migration.catalog();
        }
        return findings;
    }

    /**
     * The change as the engine would plan it, with the renames the file spells out; when those
     * cannot be applied (a pattern this reading does not follow), without them: a rename then
     * looks like a drop and an add, reported as data loss, the conservative answer.
     */
    static Plan plan(Catalog before, Catalog after, DiffOptions renames) {
        try {
            return SchemaDiff.plan(before, after, renames);
        } catch (IllegalArgumentException notFollowed) {
            return SchemaDiff.plan(before, after, DiffOptions.NONE);
        }
    }

    /** A statement written the blocking way on a table that existed before this migration. */
    private static java.util.Optional<Hazard> unsafeForm(String statement, Catalog before) {
        Matcher index = CREATE_INDEX.matcher(statement);
        if (index.find() && index.group(1) == null && before.tables().containsKey(tableKey(index.group(3)))) {
            return java.util.Optional.of(Hazard.LOCKS_TABLE);
        }
        Matcher constraint = ADD_CHECKED_CONSTRAINT.matcher(statement);
        if (constraint.matches() && !statement.toUpperCase(Locale.ROOT).contains("NOT VALID")
                && before.tables().containsKey(tableKey(constraint.group(1)))) {
            return java.util.Optional.of(Hazard.LOCKS_TABLE);
        }
        return java.util.Optional.empty();
    }

    /**
     * Renames the SQL spells out, so the lint sees a rename rather than a drop and an add.
     * Chains compose (a → b, then b → c is a → c), and a column rename names its table by the
     * table's final name, whichever order the file renames them in.
     */
    static DiffOptions declaredRenames(List<String> statements) {
        Map<String, String> tables = new LinkedHashMap<>();           // original name → current name
        Map<String, Map<String, String>> columns = new LinkedHashMap<>(); // current table → (original column → current name)
        for (String statement : statements) {
            Matcher table = RENAME_TABLE.matcher(statement);
            if (table.matches()) {
                String from = tableName(table.group(1));
                String to = identifier(table.group(2));
                String original = tables.entrySet().stream().filter(e -> e.getValue().equals(from)).map(Map.Entry::getKey)
                        .findFirst().orElse(from);
                tables.put(original, to);
                Map<String, String> moved = columns.remove(from);
                if (moved != null) columns.put(to, moved);
                continue;
            }
            Matcher column = RENAME_COLUMN.matcher(statement);
            if (column.matches()) {
                Map<String, String> renamed = columns.computeIfAbsent(tableName(column.group(1)), key -> new LinkedHashMap<>());
                String from = identifier(column.group(2));
                String original = renamed.entrySet().stream().filter(e -> e.getValue().equals(from)).map(Map.Entry::getKey)
                        .findFirst().orElse(from);
                renamed.put(original, identifier(column.group(3)));
            }
        }
        Map<String, String> columnRenames = new LinkedHashMap<>();
        columns.forEach((table, renamed) -> renamed.forEach((from, to) -> {
            if (!from.equals(to)) columnRenames.put(table + "." + from, to);
        }));
        Map<String, String> tableRenames = new LinkedHashMap<>();
        tables.forEach((from, to) -> {
            if (!from.equals(to)) tableRenames.put(from, to);
        });
        return new DiffOptions(tableRenames, columnRenames);
    }

    /** A possibly schema-qualified, possibly quoted table name as the catalog names it (public's tables, unqualified). */
    static String tableName(String qualified) {
        String name = qualified;
        int dot = lastDotOutsideQuotes(qualified);
        if (dot >= 0) name = qualified.substring(dot + 1);
        return identifier(name);
    }

    /** A possibly schema-qualified, possibly quoted table name as the catalog keys it: {@code notes}, {@code app.events}. */
    static String tableKey(String qualified) {
        int dot = lastDotOutsideQuotes(qualified);
        if (dot < 0) return identifier(qualified);
        String schema = identifier(qualified.substring(0, dot));
        String name = identifier(qualified.substring(dot + 1));
        return "public".equals(schema) ? name : schema + "." + name;
    }

    private static int lastDotOutsideQuotes(String text) {
        int last = -1;
        for (SqlLexer.Token token : SqlLexer.tokens(text)) if (token.is('.')) last = token.start();
        return last;
    }

    /** An identifier as PostgreSQL stores it: quoted ones as written, others folded to lower case. */
    static String identifier(String token) {
        if (token.startsWith("\"") && token.endsWith("\"") && token.length() >= 2) {
            return token.substring(1, token.length() - 1).replace("\"\"", "\"");
        }
        return token.toLowerCase(Locale.ROOT);
    }

    private static String oneLine(String sql) {
        String line = sql.replaceAll("\\s+", " ").strip();
        return line.length() > 160 ? line.substring(0, 157) + "…" : line;
    }
}
