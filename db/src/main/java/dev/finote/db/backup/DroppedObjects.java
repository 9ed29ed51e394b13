package dev.finote.db.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a data-losing statement still has anything to lose in the live database: a
 * {@code DROP COLUMN} of a column that a {@code push} already dropped, or a {@code DROP TABLE}
 * of a table no longer there, loses nothing. Only those two shapes with plain names in
 * {@code public} are judged; anything else counts as a loss (a backup too many costs little).
 */
final class DroppedObjects {

    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(?:ONLY )?(\\S+) ");
    private static final Pattern DROP_COLUMN = Pattern.compile("^DROP (?:COLUMN )?(?:IF EXISTS )?(\\S+)(?: CASCADE| RESTRICT)?$");
    private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$");
    private static final Pattern PLAIN_NAME = Pattern.compile("(?:PUBLIC\\.)?([A-Z_][A-Z0-9_$]*)");

    private DroppedObjects() {
    }

    /** False only when every object {@code code} drops is known to be gone already. */
    static boolean canLose(Connection connection, String code) throws SQLException {
        Optional<List<String[]>> targets = targets(code);
        if (targets.isEmpty()) return true;
        for (String[] target : targets.get()) {
            if (exists(connection, target[0], target[1])) return true;
        }
        return false;
    }

    /** (table, column or null) pairs the statement drops; empty when it is not a shape judged here. */
    private static Optional<List<String[]>> targets(String code) {
        if (code == null || code.isEmpty()) return Optional.empty();
        List<String[]> targets = new ArrayList<>();
        Matcher drop = DROP_TABLE.matcher(code);
        if (drop.matches()) {
            for (String name : drop.group(1).split(",")) {
                Optional<String> table = plain(name.strip());
                if (table.isEmpty()) return Optional.empty();
                targets.add(new String[]{table.get(), null});
            }
            return Optional.of(targets);
        }
        Matcher alter = ALTER_TABLE.matcher(code);
        if (!alter.find()) return Optional.empty();
        Optional<String> table = plain(alter.group(1));
        if (table.isEmpty()) return Optional.empty();
        for (String action : DataLossScan.topLevelActions(code)) {
            // Other actions lose nothing by themselves (a type change is judged below).
            if (!action.startsWith("DROP ") || action.matches("^DROP (CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)\\b.*")) continue;
            Matcher column = DROP_COLUMN.matcher(action);
            if (!column.matches()) return Optional.empty();
            Optional<String> name = plain(column.group(1));
            if (name.isEmpty()) return Optional.empty();
            targets.add(new String[]{table.get(), name.get()});
        }
        if (DataLossScan.topLevelActions(code).stream().anyMatch(action -> action.matches("^ALTER (COLUMN )?\\S+ (SET DATA )?TYPE\\b.*"))) {
            return Optional.empty(); // a type change: judged as a loss
        }
        return targets.isEmpty() ? Optional.empty() : Optional.of(targets);
    }

    /** An unquoted name in public, folded to lower case as PostgreSQL does; empty for anything else. */
    private static Optional<String> plain(String name) {
        Matcher matcher = PLAIN_NAME.matcher(name);
        return matcher.matches() ? Optional.of(matcher.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static boolean exists(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(column == null
                ? "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ?)"
                : "SELECT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = 'public' AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped)")) {
            query.setString(1, table);
            if (column != null) query.setString(2, column);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
