package dev.finote.db.schema;

import java.util.Locale;

/** What can go wrong when a plan step runs on a database with data and traffic. */
public enum Hazard {
    DELETES_DATA("can delete data: dropped tables or columns, values that do not fit a narrower type, removed enum values"),
    REWRITES_TABLE("rewrites every row of the table while holding an ACCESS EXCLUSIVE lock"),
    LOCKS_TABLE("holds an ACCESS EXCLUSIVE lock while it scans the whole table"),
    BUILDS_INDEX("builds an index: CONCURRENTLY on existing tables, slow on big ones, and not inside a transaction"),
    VALIDATES_CONSTRAINT("scans the table to validate a constraint (a lock that still lets reads and writes through)"),
    FAILS_ON_EXISTING_ROWS("fails if the table already has rows (a NOT NULL column without a default)"),
    REBUILDS_MATERIALIZED_VIEW("drops and fills a materialized view again: its readers wait while its query scans what it reads"),
    CHANGES_VISIBLE_ROWS("changes which rows each role sees and may change (row level security)");

    private final String description;

    Hazard(String description) {
        this.description = description;
    }

    /** Kebab-case name used in migration comments and lint output, e.g. {@code deletes-data}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The hazard with this {@link #code()}, e.g. from a migration's {@code -- hazard:} comment. */
    public static java.util.Optional<Hazard> fromCode(String code) {
        for (Hazard hazard : values()) if (hazard.code().equals(code)) return java.util.Optional.of(hazard);
        return java.util.Optional.empty();
    }

    /** One line saying why this is a hazard. */
    public String description() {
        return description;
    }
}
