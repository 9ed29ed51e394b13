package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;

/** A migration's SQL failed while being applied: which one, besides what {@link DatabaseException} says. */
public final class MigrationFailedException extends DatabaseException {

    private final String version;
    private final String script;

    public MigrationFailedException(String message, String next, Throwable cause, String version, String script) {
        super(message, next, cause);
        this.version = version;
        this.script = script;
    }

    /** The failed migration's version, e.g. {@code "6"}. */
    public String version() {
        return version;
    }

    /** Its script, relative to the migrations location, e.g. {@code "V6__add_color.sql"}. */
    public String script() {
        return script;
    }
}
