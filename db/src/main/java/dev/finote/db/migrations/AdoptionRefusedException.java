package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;

import java.util.List;

/** A database with tables but no migration history whose schema is no migration version's. */
public class AdoptionRefusedException extends DatabaseException {

    private final List<String> differences;

    public AdoptionRefusedException(String message, List<String> differences) {
        super(message);
        this.differences = List.copyOf(differences);
    }

    @Override
    protected String defaultNext() {
        return "make the database match a migration version (or start from an empty database);"
                + " `finote db status` shows the schema it expects";
    }

    /** How the database differs from the closest version, one line each. */
    @Override
    public List<String> details() {
        return differences;
    }
}
