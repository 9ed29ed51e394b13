package dev.finote.db.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a data-losing statement drops, read from its code ({@link DataLossScan}), so that
 * {@link DataLossScan#stillLoses} can ask the live database whether any of it is still there:
 * a {@code DROP COLUMN} of a column that a {@code push} already dropped, or a {@code DROP TABLE}
 * of a table no longer there, loses nothing. Only those two shapes with plain names (schema-qualified
 * or not) are read; anything else is "cannot tell" (a backup too many costs little).
 */
final class DroppedObjects {

    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(?:ONLY )?(\\S+) ");
    private static final Pattern DROP_COLUMN = Pattern.compile("^DROP (?:COLUMN )?(?:IF EXISTS )?(\\S+)(?: CASCADE| RESTRICT)?$");
    private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$");
    private static final Pattern PLAIN_NAME = Pattern.compile("(?:([A-Z_][A-Z0-9_$]*)\\.)?([A-Z_][A-Z0-9_$]*)");

    private DroppedObjects() {
    }

    /** The tables and columns the statement drops; empty when it is not a shape read here. */
    static Optional<List<DataLossScan.Target>> targets(String code) {
        if (code == null || code.isEmpty()) return Optional.empty();
        List<DataLossScan.Target> targets = new ArrayList<>();
        Matcher drop = DROP_TABLE.matcher(code);
        if (drop.matches()) {
            for (String name : drop.group(1).split(",")) {
                Optional<Name> table = plain(name.strip());
                if (table.isEmpty()) return Optional.empty();
                targets.add(new DataLossScan.Target(table.get().schema(), table.get().name(), null));
            }
            return Optional.of(targets);
        }
        Matcher alter = ALTER_TABLE.matcher(code);
        if (!alter.find()) return Optional.empty();
        Optional<Name> table = plain(alter.group(1));
        if (table.isEmpty()) return Optional.empty();
        for (String action : DataLossScan.topLevelActions(code)) {
            // Other actions lose nothing by themselves (a type change is judged below).
            if (!action.startsWith("DROP ") || action.matches("^DROP (CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)\\b.*")) continue;
            Matcher column = DROP_COLUMN.matcher(action);
            if (!column.matches()) return Optional.empty();
            Optional<Name> name = column.group(1).contains(".") ? Optional.empty() : plain(column.group(1));
            if (name.isEmpty()) return Optional.empty();
            targets.add(new DataLossScan.Target(table.get().schema(), table.get().name(), name.get().name()));
        }
        if (DataLossScan.topLevelActions(code).stream().anyMatch(action -> action.matches("^ALTER (COLUMN )?\\S+ (SET DATA )?TYPE\\b.*"))) {
            return Optional.empty(); // a type change: judged as a loss
        }
        return targets.isEmpty() ? Optional.empty() : Optional.of(targets);
    }

    /** A name and its schema ({@code public} when unqualified). */
    private record Name(String schema, String name) {
    }

    /** An unquoted, possibly schema-qualified name, folded to lower case as PostgreSQL does; empty for anything else. */
    private static Optional<Name> plain(String name) {
        Matcher matcher = PLAIN_NAME.matcher(name);
        if (!matcher.matches()) return Optional.empty();
        String schema = matcher.group(1) == null ? "public" : matcher.group(1).toLowerCase(Locale.ROOT);
        return Optional.of(new Name(schema, matcher.group(2).toLowerCase(Locale.ROOT)));
    }
}
