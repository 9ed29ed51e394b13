package dev.finote.db.migrations;

import dev.finote.db.schema.Catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a difference between schema.sql and what the migrations build comes from. One that a
 * migration introduced (schema.sql agreed on that point with the version before it, e.g. a
 * hand-written {@code DROP COLUMN}) is not a change to generate: generate would undo that
 * migration. The others are new in schema.sql.
 */
public final class ChangeOrigins {

    private static final Pattern TABLE_PART = Pattern.compile("^table (\\S+): ");
    private static final Pattern INDEX = Pattern.compile("^index (\\S+) ");

    private ChangeOrigins() {
    }

    /** The differences a migration introduced, each with that migration's version, in order. */
    public static Map<String, String> madeByMigrations(List<String> differences, Catalog desired, List<VersionedCatalog> versions) {
        Map<String, String> made = new LinkedHashMap<>();
        differences.forEach(line -> introducedBy(line, desired, versions).ifPresent(version -> made.put(line, version)));
        return made;
    }

    /**
     * The version that introduced a difference between schema.sql and the migrations: the first
     * one after which the difference appears and stays, when schema.sql agreed on that point with
     * the version before it. Empty when schema.sql differs on it from every version (a new change).
     */
    static Optional<String> introducedBy(String difference, Catalog desired, List<VersionedCatalog> versions) {
        Optional<String> since = Optional.empty();
        Catalog previous = Catalog.EMPTY;
        boolean before = desired.differencesFrom(previous).contains(difference);
        for (VersionedCatalog version : versions) {
            boolean now = desired.differencesFrom(version.catalog()).contains(difference);
            // Agreement on a table's column or index means something only where the previous version had that table.
            boolean agreedBefore = !before && subjectTable(difference, desired, version.catalog()).map(previous.tables()::containsKey).orElse(true);
            if (now && agreedBefore) since = Optional.of(version.version());
            if (!now) since = Optional.empty();
            before = now;
            previous = version.catalog();
        }
        return since;
    }

    /** The table a difference line is inside of ("table notes: column …", an index of it), if any. */
    private static Optional<String> subjectTable(String difference, Catalog... catalogs) {
        var table = TABLE_PART.matcher(difference);
        if (table.find()) return Optional.of(table.group(1));
        var index = INDEX.matcher(difference);
        if (!index.find()) return Optional.empty();
        for (Catalog catalog : catalogs) {
            for (var candidate : catalog.tables().values()) {
                if (candidate.indexes().containsKey(index.group(1))) return Optional.of(candidate.name());
            }
        }
        return Optional.empty();
    }
}
